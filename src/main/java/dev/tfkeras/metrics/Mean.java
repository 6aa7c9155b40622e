package dev.tfkeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The running mean of the values given to {@link #update}, e.g. the loss over an epoch. */
public class Mean extends Metric {

  public Mean(String name) {
    super(name);
  }

  /** Adds every element of {@code values} (a scalar loss counts once). */
  public void update(Operand<TFloat32> values) {
    accumulate(values);
  }

  /**
   * Adds {@code values} weighted by {@code sampleWeight} (broadcast to their shape), as Keras's
   * {@code update_state(values, sample_weight)}: e.g. a batch's mean loss weighted by the batch size.
   */
  public void update(Operand<TFloat32> values, Operand<TFloat32> sampleWeight) {
    accumulate(values, java.util.Objects.requireNonNull(sampleWeight, "sampleWeight"));
  }
}
