package dev.tfkeras.losses;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The Huber loss, {@code mean(h(yPred - yTrue), axis=-1)} with {@code h(e) = e²/2} for {@code |e|
 * <= delta} and {@code delta·|e| - delta²/2} beyond: quadratic near the target, linear for outliers.
 */
public class Huber extends Loss {

  private float delta;

  /** {@code delta = 1}, Keras's default. */
  public Huber() {
    this(1.0);
  }

  /** @param delta where the loss turns from quadratic to linear; positive */
  public Huber(double delta) {
    this(delta, Reduction.SUM_OVER_BATCH_SIZE);
  }

  public Huber(double delta, Reduction reduction) {
    super("huber_loss", reduction);
    this.delta = checkDelta(delta);
  }

  private static float checkDelta(double delta) {
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException(
          "Huber's delta must be a positive number, received delta=" + delta + ".");
    }
    return (float) delta;
  }

  /** Where the loss turns from quadratic to linear. */
  public double delta() {
    return delta;
  }

  /**
   * Keras's {@code delta}: where the loss turns from quadratic to linear, positive (default 1);
   * returns this.
   *
   * @throws IllegalArgumentException if not positive and finite
   * @throws IllegalStateException once the loss has been called
   */
  public Huber delta(double delta) {
    checkNotCalled("delta");
    this.delta = checkDelta(delta);
    return this;
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public Huber name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public Huber reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public Huber reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    DenseInputs in = DenseInputs.broadcasting(tf, labels, predictions, name());
    Operand<TFloat32> absError = tf.math.abs(tf.math.sub(in.yPred(), in.yTrue()));
    // q = min(|e|, delta): q²/2 + delta·(|e| - q) is e²/2 inside delta and delta·|e| - delta²/2
    // beyond, Keras's two branches without a select.
    Operand<TFloat32> d = tf.constant(delta);
    Operand<TFloat32> quadratic = tf.math.minimum(absError, d);
    Operand<TFloat32> h =
        tf.math.add(
            tf.math.mul(tf.constant(0.5f), tf.math.square(quadratic)),
            tf.math.mul(d, tf.math.sub(absError, quadratic)));
    return tf.math.mean(h, tf.constant(-1));
  }

  /** Keras's config: {@code name}, {@code reduction}, then {@code delta}. */
  @Override
  public Config getConfig() {
    return super.getConfig().put("delta", delta);
  }

  /** Keras's {@code Huber.from_config}: each key left out takes Keras's default. */
  public static Huber fromConfig(Config config) {
    Huber loss = new Huber(config.getDouble("delta", 1.0));
    return configure(loss, config);
  }
}
