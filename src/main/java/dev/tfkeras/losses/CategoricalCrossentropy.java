package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Cross-entropy between one-hot (or soft) labels and predictions of the same shape {@code (batch,
 * classes)}: logits when {@code fromLogits}, else probabilities (each row divided by its sum, then
 * clipped to [1e-7, 1 - 1e-7], as in Keras). Label smoothing {@code s} turns targets {@code t} into
 * {@code t·(1 - s) + s/classes}.
 */
public class CategoricalCrossentropy extends Loss {

  private static final float EPSILON = 1e-7f;
  private boolean fromLogits;
  private float labelSmoothing;

  /** Expects probabilities, no smoothing (Keras's defaults). */
  public CategoricalCrossentropy() {
    this(false);
  }

  /** @param fromLogits whether predictions are logits */
  public CategoricalCrossentropy(boolean fromLogits) {
    this(fromLogits, Reduction.SUM_OVER_BATCH_SIZE);
  }

  public CategoricalCrossentropy(boolean fromLogits, Reduction reduction) {
    this(fromLogits, 0, reduction);
  }

  /**
   * @param fromLogits whether predictions are logits
   * @param labelSmoothing in [0, 1]; 0 for none
   * @param reduction how the weighted values are reduced
   */
  public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing, Reduction reduction) {
    super("categorical_crossentropy", reduction);
    this.fromLogits = fromLogits;
    this.labelSmoothing = LabelSmoothing.checked(labelSmoothing, name());
  }

  /** Whether predictions are logits rather than probabilities. */
  public boolean fromLogits() {
    return fromLogits;
  }

  /** The label smoothing factor in [0, 1]; 0 for none. */
  public double labelSmoothing() {
    return labelSmoothing;
  }

  /**
   * Keras's {@code from_logits}: whether predictions are logits (softmax not applied yet) rather
   * than probabilities (default false); returns this.
   *
   * @throws IllegalStateException once the loss has been called
   */
  public CategoricalCrossentropy fromLogits(boolean fromLogits) {
    checkNotCalled("fromLogits");
    this.fromLogits = fromLogits;
    return this;
  }

  /**
   * Keras's {@code label_smoothing}, in [0, 1] (default 0: none); returns this.
   *
   * @throws IllegalArgumentException outside [0, 1]
   * @throws IllegalStateException once the loss has been called
   */
  public CategoricalCrossentropy labelSmoothing(double labelSmoothing) {
    checkNotCalled("labelSmoothing");
    this.labelSmoothing = LabelSmoothing.checked(labelSmoothing, name());
    return this;
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public CategoricalCrossentropy name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public CategoricalCrossentropy reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public CategoricalCrossentropy reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.of(tf, labels, predictions, name());
    Operand<TFloat32> p = in.yPred();
    OneUnit.reject(p.shape(), "CategoricalCrossentropy", "the loss would be 0 whatever the"
        + " prediction");
    Operand<TFloat32> targets = in.yTrue();
    if (labelSmoothing > 0) {
      targets = tf.math.add(
          tf.math.mul(targets, tf.constant(1f - labelSmoothing)),
          tf.math.div(tf.constant(labelSmoothing), classes(tf, p)));
    }
    Operand<TFloat32> logP;
    if (fromLogits) {
      logP = tf.nn.logSoftmax(p);
    } else {
      Operand<TFloat32> normalized = tf.math.div(p, tf.sum(p, tf.constant(-1), Sum.keepDims(true)));
      logP = tf.math.log(tf.clipByValue(normalized, tf.constant(EPSILON), tf.constant(1f - EPSILON)));
    }
    return tf.math.neg(tf.sum(tf.math.mul(targets, logP), tf.constant(-1)));
  }

  /** The number of classes as float32: static when known. */
  private static Operand<TFloat32> classes(Ops tf, Operand<TFloat32> p) {
    long known = p.shape().get(p.shape().numDimensions() - 1);
    if (known != Shape.UNKNOWN_SIZE) {
      return tf.constant((float) known);
    }
    return tf.dtypes.cast(
        tf.gather(tf.shape(p), tf.constant(p.shape().numDimensions() - 1), tf.constant(0)),
        TFloat32.class);
  }

  /** Keras's config: {@code name}, {@code reduction}, then {@code from_logits}, {@code label_smoothing}, {@code axis} (-1). */
  @Override
  public Config getConfig() {
    return super.getConfig().put("from_logits", fromLogits).put("label_smoothing", labelSmoothing).put("axis", -1);
  }

  /** Keras's {@code CategoricalCrossentropy.from_config}: each key left out takes Keras's default. */
  public static CategoricalCrossentropy fromConfig(Config config) {
    CategoricalCrossentropy loss = new CategoricalCrossentropy(config.getBoolean("from_logits", false), config.getDouble("label_smoothing", 0.0), Reduction.SUM_OVER_BATCH_SIZE);
    requireLastAxis(config);
    return configure(loss, config);
  }
}
