package dev.tfkeras.layers;

import dev.tfkeras.function.Trace;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Initializers;
import dev.tfkeras.initializers.Ones;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Normalizes each feature of {@code axis} (the channels, by default the last axis) to zero mean
 * and unit variance, then scales by {@code gamma} and shifts by {@code beta}, as Keras's
 * BatchNormalization.
 *
 * <p>A training pass normalizes by the batch's mean and biased variance and moves the
 * non-trainable weights {@code moving_mean} and {@code moving_variance} toward them: {@code moving
 * = moving · momentum + batch · (1 − momentum)}, an update that runs with every call of the traced
 * step. Inference passes normalize by the moving statistics and change nothing. A frozen layer
 * ({@code setTrainable(false)}, or inside a frozen model) always runs in inference mode, as in Keras
 * 3. Being weights, the moving statistics are saved and restored with the model.
 */
public class BatchNormalization extends NormalizationBase<BatchNormalization> {

  /** Keras's {@code backend.epsilon()}, guarding the masked counts. */
  private static final float COUNT_EPSILON = 1e-7f;

  private int axis = -1;
  private double momentum = 0.99;
  private Initializer movingMeanInitializer = new Zeros();
  private Initializer movingVarianceInitializer = new Ones();
  private int channelAxis;
  private Variable<TFloat32> movingMean;
  private Variable<TFloat32> movingVariance;

  /** Keras's defaults: last axis, momentum 0.99, epsilon 1e-3, with gamma and beta. */
  public BatchNormalization() {}

  /** The axis of the features to normalize (default -1, the channels); returns this. */
  public BatchNormalization axis(int axis) {
    checkNotBuilt("axis");
    this.axis = axis;
    return this;
  }

  /** Momentum of the moving averages (default 0.99); returns this. */
  public BatchNormalization momentum(double momentum) {
    checkNotBuilt("momentum");
    this.momentum = momentum;
    return this;
  }

  /**
   * {@link #movingMeanInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "zeros"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public BatchNormalization movingMeanInitializer(String identifier) {
    return movingMeanInitializer(Initializers.get(identifier));
  }

  /** Initializer of {@code moving_mean} (default zeros); returns this. */
  public BatchNormalization movingMeanInitializer(Initializer initializer) {
    checkNotBuilt("movingMeanInitializer");
    this.movingMeanInitializer = Objects.requireNonNull(initializer, "initializer");
    return this;
  }

  /**
   * {@link #movingVarianceInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "ones"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public BatchNormalization movingVarianceInitializer(String identifier) {
    return movingVarianceInitializer(Initializers.get(identifier));
  }

  /** Initializer of {@code moving_variance} (default ones); returns this. */
  public BatchNormalization movingVarianceInitializer(Initializer initializer) {
    checkNotBuilt("movingVarianceInitializer");
    this.movingVarianceInitializer = Objects.requireNonNull(initializer, "initializer");
    return this;
  }

  /** The moving mean used at inference (non-trainable). Valid after the first apply. */
  public Variable<TFloat32> movingMean() {
    requireBuilt();
    return movingMean;
  }

  /** The moving variance used at inference (non-trainable). Valid after the first apply. */
  public Variable<TFloat32> movingVariance() {
    requireBuilt();
    return movingVariance;
  }

  @Override
  protected boolean supportsMasking() {
    return true;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireMinRank(shape, 1);
    int rank = shape.numDimensions();
    if (axis < -rank || axis >= rank) {
      throw new IllegalArgumentException(
          "Axis " + axis + " is out of bounds for input shape " + format(shape) + ". Received: axis="
              + axis);
    }
    int channels = axis < 0 ? axis + rank : axis;
    Shape built = inputShape();
    if (built != null) {
      requireRank(shape, built.numDimensions());
      if (shape.get(channels) != built.get(channels)) {
        throw incompatible(
            "expected axis " + channels + " of input shape to have value " + built.get(channels)
                + ", found " + shape.get(channels),
            shape);
      }
    } else if (shape.get(channels) == Shape.UNKNOWN_SIZE) {
      throw incompatible("axis " + channels + " (the normalized features) must be known", shape);
    }
  }

  @Override
  protected void build(Shape inputShape) {
    channelAxis = Normalize.canonicalAxis(axis, inputShape.numDimensions());
    Shape features = Shape.of(inputShape.get(channelAxis));
    addGammaAndBeta(features);
    movingMean = addWeight("moving_mean", features, movingMeanInitializer, false);
    movingVariance = addWeight("moving_variance", features, movingVarianceInitializer, false);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Ops tf = tf();
    Shape shape = input.shape();
    int[] channels = {channelAxis};
    Operand<TInt64> broadcast = tf.constant(Normalize.broadcastShape(shape, channels));
    Operand<TFloat32> mean;
    Operand<TFloat32> variance;
    if (training && isTrainable()) {
      Normalize.Moments batch = moments(tf, input, Normalize.otherAxes(shape.numDimensions(), channels));
      mean = batch.mean();
      variance = batch.variance();
      Operand<TInt64> features = tf.constant(new long[] {shape.get(channelAxis)});
      Trace.current().addUpdate(movingAverage(tf, movingMean, tf.reshape(mean, features)));
      Trace.current().addUpdate(movingAverage(tf, movingVariance, tf.reshape(variance, features)));
    } else {
      mean = tf.reshape(movingMean.read(tf), broadcast);
      variance = tf.reshape(movingVariance.read(tf), broadcast);
    }
    return Normalize.apply(
        tf,
        input,
        mean,
        variance,
        gammaVariable() == null ? null : tf.reshape(gammaVariable().read(tf), broadcast),
        betaVariable() == null ? null : tf.reshape(betaVariable().read(tf), broadcast),
        (float) epsilon);
  }

  /** {@code moving · momentum + value · (1 − momentum)}, assigned. */
  private Op movingAverage(Ops tf, Variable<TFloat32> moving, Operand<TFloat32> value) {
    Operand<TFloat32> next =
        tf.math.add(
            tf.math.mul(moving.read(tf), tf.constant((float) momentum)),
            tf.math.mul(value, tf.constant((float) (1.0 - momentum))));
    return tf.assign(moving.handle(), next);
  }

  /**
   * The batch statistics; with a Keras mask (one axis fewer than the input, true = a real step),
   * only the unmasked positions count, as Keras's masked moments.
   */
  private Normalize.Moments moments(Ops tf, Operand<TFloat32> x, int[] reduction) {
    Operand<TBool> mask = maskOf(x);
    if (mask == null) {
      return Normalize.moments(tf, x, reduction);
    }
    if (mask.shape().numDimensions() != x.shape().numDimensions() - 1) {
      throw new IllegalArgumentException(
          "The mask provided should be one dimension less than the inputs. Received: mask.shape="
              + format(mask.shape()) + ", inputs.shape=" + format(x.shape()));
    }
    Operand<TFloat32> weights =
        tf.math.mul(
            tf.expandDims(tf.dtypes.cast(mask, TFloat32.class), tf.constant(-1)),
            tf.onesLike(x));
    var keep = Sum.keepDims(true);
    Operand<TInt32> axes = tf.constant(reduction);
    Operand<TFloat32> count = tf.math.add(tf.sum(weights, axes, keep), tf.constant(COUNT_EPSILON));
    Operand<TFloat32> mean = tf.math.div(tf.sum(tf.math.mul(x, weights), axes, keep), count);
    Operand<TFloat32> deviation = tf.math.mul(tf.math.sub(x, mean), weights);
    Operand<TFloat32> variance = tf.math.div(tf.sum(tf.math.square(deviation), axes, keep), count);
    return new Normalize.Moments(mean, variance);
  }

  /** The axis of the features normalized. */
  public int axis() {
    return axis;
  }

  /** Momentum of the moving averages. */
  public double momentum() {
    return momentum;
  }

  /** The initializer of {@code moving_mean}. */
  public Initializer movingMeanInitializer() {
    return movingMeanInitializer;
  }

  /** The initializer of {@code moving_variance}. */
  public Initializer movingVarianceInitializer() {
    return movingVarianceInitializer;
  }

  /**
   * Keras's {@code BatchNormalization.get_config}, without the renorm keys that Keras 3.16 adds
   * (older Keras 3 refuses them; tfkeras has no renorm).
   */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("axis", axis)
        .put("momentum", momentum)
        .put("epsilon", epsilon)
        .put("center", center())
        .put("scale", scale())
        .put("beta_initializer", betaInitializer())
        .put("gamma_initializer", gammaInitializer())
        .put("moving_mean_initializer", movingMeanInitializer)
        .put("moving_variance_initializer", movingVarianceInitializer)
        .putNull("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint")
        .put("synchronized", false);
  }

  /** Keras's {@code BatchNormalization.from_config}; synchronized or renorm layers are refused. */
  public static BatchNormalization fromConfig(Config config) {
    BatchNormalization bn = new BatchNormalization()
        .axis(config.getInt("axis", -1))
        .momentum(config.getDouble("momentum", 0.99))
        .movingMeanInitializer(Configs.initializer(config, "moving_mean_initializer", new Zeros()))
        .movingVarianceInitializer(Configs.initializer(config, "moving_variance_initializer", new Ones()))
        .readNormalizationSettings(config);
    for (String key : new String[] {"synchronized", "renorm"}) {
      if (config.getBoolean(key, false)) {
        throw config.invalid(key, "false: tfkeras's BatchNormalization has no synchronized or renorm mode");
      }
    }
    config.requireDefault("renorm_clipping");
    config.getDouble("renorm_momentum", 0.99); // used by renorm only
    return configured(bn, config);
  }
}
