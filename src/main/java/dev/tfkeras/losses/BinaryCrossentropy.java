package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * Cross-entropy between 0/1 (or soft) targets and predictions of the same shape, averaged over the
 * last axis: one sigmoid unit {@code (batch, 1)} for a binary classifier, or one per label for
 * multi-label outputs. Predictions are logits when {@code fromLogits}, else probabilities clipped to
 * [1e-7, 1 - 1e-7] as in Keras. Label smoothing {@code s} turns targets {@code t} into {@code t·(1 -
 * s) + s/2}.
 */
public class BinaryCrossentropy extends Loss {

  private static final float EPSILON = 1e-7f;
  private boolean fromLogits;
  private float labelSmoothing;

  /** Probabilities, no smoothing (Keras's defaults). */
  public BinaryCrossentropy() {
    this(false);
  }

  /** @param fromLogits whether predictions are logits (no sigmoid applied yet) */
  public BinaryCrossentropy(boolean fromLogits) {
    this(fromLogits, 0, Reduction.SUM_OVER_BATCH_SIZE);
  }

  /**
   * @param fromLogits whether predictions are logits
   * @param labelSmoothing in [0, 1]; 0 for none
   * @param reduction how the weighted values are reduced
   */
  public BinaryCrossentropy(boolean fromLogits, double labelSmoothing, Reduction reduction) {
    super("binary_crossentropy", reduction);
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
   * Keras's {@code from_logits}: whether predictions are logits (sigmoid not applied yet) rather
   * than probabilities (default false); returns this.
   *
   * @throws IllegalStateException once the loss has been called
   */
  public BinaryCrossentropy fromLogits(boolean fromLogits) {
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
  public BinaryCrossentropy labelSmoothing(double labelSmoothing) {
    checkNotCalled("labelSmoothing");
    this.labelSmoothing = LabelSmoothing.checked(labelSmoothing, name());
    return this;
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public BinaryCrossentropy name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public BinaryCrossentropy reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public BinaryCrossentropy reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.of(tf, labels, predictions, name());
    Operand<TFloat32> t = in.yTrue();
    if (labelSmoothing > 0) {
      t = tf.math.add(tf.math.mul(t, tf.constant(1f - labelSmoothing)), tf.constant(0.5f * labelSmoothing));
    }
    Operand<TFloat32> perElement = fromLogits ? fromLogits(tf, t, in.yPred()) : fromProbabilities(tf, t, in.yPred());
    return tf.math.mean(perElement, tf.constant(-1));
  }

  /**
   * TensorFlow's sigmoid_cross_entropy_with_logits, max(x, 0) - x·t + log(1 + exp(-|x|)), with its
   * selects rather than relu and abs: at x = 0 their zero subgradients would drop the σ(0) = 1/2.
   */
  private static Operand<TFloat32> fromLogits(Ops tf, Operand<TFloat32> t, Operand<TFloat32> x) {
    Operand<TBool> positive = tf.math.greaterEqual(x, tf.constant(0f));
    Operand<TFloat32> zeros = tf.zerosLike(x);
    Operand<TFloat32> reluX = tf.select(positive, x, zeros);
    Operand<TFloat32> negAbsX = tf.select(positive, tf.math.neg(x), x);
    return tf.math.add(tf.math.sub(reluX, tf.math.mul(x, t)), tf.math.log1p(tf.math.exp(negAbsX)));
  }

  /** -(t·log p + (1 - t)·log(1 - p)) with p clipped to [ε, 1 - ε]. */
  private static Operand<TFloat32> fromProbabilities(Ops tf, Operand<TFloat32> t, Operand<TFloat32> p) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> clipped = tf.clipByValue(p, tf.constant(EPSILON), tf.constant(1f - EPSILON));
    Operand<TFloat32> logLikelihood =
        tf.math.add(
            tf.math.mul(t, tf.math.log(clipped)),
            tf.math.mul(tf.math.sub(one, t), tf.math.log(tf.math.sub(one, clipped))));
    return tf.math.neg(logLikelihood);
  }

  /** Keras's config: {@code name}, {@code reduction}, then {@code from_logits}, {@code label_smoothing}, {@code axis} (-1). */
  @Override
  public Config getConfig() {
    return super.getConfig().put("from_logits", fromLogits).put("label_smoothing", labelSmoothing).put("axis", -1);
  }

  /** Keras's {@code BinaryCrossentropy.from_config}: each key left out takes Keras's default. */
  public static BinaryCrossentropy fromConfig(Config config) {
    BinaryCrossentropy loss = new BinaryCrossentropy(config.getBoolean("from_logits", false), config.getDouble("label_smoothing", 0.0), Reduction.SUM_OVER_BATCH_SIZE);
    requireLastAxis(config);
    return configure(loss, config);
  }
}
