package dev.tfkeras.metrics;

import dev.tfkeras.metrics.Samplewise.Reduction;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** The running (weighted) sum of the values given to {@link #update}: Keras's {@code Sum}. */
public class Sum extends Metric {

  private final State total = addVariable("total", Shape.scalar());

  public Sum() {
    this("sum");
  }

  public Sum(String name) {
    super(name);
  }

  /** Adds every element of {@code values}, of any numeric dtype. */
  public void update(Operand<? extends TNumber> values) {
    update(values, null);
  }

  /**
   * Adds {@code values} times {@code sampleWeight}, broadcast as Keras does (ranks matched, values
   * summed down to the weights' rank). A null weight adds the values as they are.
   *
   * @throws IllegalArgumentException if the weights cannot broadcast to the values
   */
  public void update(Operand<? extends TNumber> values, Operand<? extends TNumber> sampleWeight) {
    Ops tf = updateOps();
    assignAdd(total, Samplewise.reduce(tf, values, sampleWeight, Reduction.SUM, name()).sum(tf));
  }

  @Override
  protected Operand<TFloat32> computeResult(Ops tf) {
    return tf.identity(total.read(tf));
  }

  /** Keras's {@code Sum.from_config}: {@code name} (default {@code "sum"}) and {@code dtype}. */
  public static Sum fromConfig(Config config) {
    return configure(new Sum(config.getString("name", "sum")), config);
  }
}
