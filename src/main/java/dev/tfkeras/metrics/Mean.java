package dev.tfkeras.metrics;

import dev.tfkeras.metrics.Samplewise.Reduction;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The running (weighted) mean of the values given to {@link #update}, e.g. the loss over an epoch:
 * Keras's {@code Mean}. Each update reduces its values to one per example (the mean over the other
 * axes) and counts the examples, or the sum of their weights.
 */
public class Mean extends Metric {

  private final State total = addVariable("total", Shape.scalar());
  private final State count = addVariable("count", Shape.scalar());

  public Mean() {
    this("mean");
  }

  public Mean(String name) {
    super(name);
  }

  /**
   * Adds a batch of values of any numeric dtype: a scalar counts as one example, a {@code (batch,
   * ...)} tensor as {@code batch} examples, each the mean of its row.
   */
  public void update(Operand<? extends TNumber> values) {
    update(values, null);
  }

  /**
   * Adds {@code values} weighted by {@code sampleWeight}, as Keras's {@code update_state(values,
   * sample_weight)}: ranks are matched (a trailing axis of 1 is squeezed or added), the values are
   * averaged down to the weights' rank, and the count grows by the sum of the weights (after
   * broadcasting them to the values). E.g. a batch's mean loss weighted by the batch size, or
   * {@code (batch, n)} values with {@code (batch,)} weights. A null weight counts each example
   * once.
   *
   * @throws IllegalArgumentException if the weights cannot broadcast to the values
   */
  public void update(Operand<? extends TNumber> values, Operand<? extends TNumber> sampleWeight) {
    Ops tf = updateOps();
    Samplewise samples = Samplewise.reduce(tf, values, sampleWeight, Reduction.MEAN, name());
    assignAdd(total, samples.sum(tf));
    assignAdd(count, samples.count(tf));
  }

  /** The accumulated weighted sum of the values, read from the session. */
  public double total() {
    return stateValue(total);
  }

  /** The accumulated number of examples (sum of weights), read from the session. */
  public double count() {
    return stateValue(count);
  }

  @Override
  protected Operand<TFloat32> computeResult(Ops tf) {
    return tf.math.divNoNan(total.read(tf), count.read(tf));
  }

  /** Keras's {@code Mean.from_config}: {@code name} (default {@code "mean"}) and {@code dtype}. */
  public static Mean fromConfig(Config config) {
    return configure(new Mean(config.getString("name", "mean")), config);
  }
}
