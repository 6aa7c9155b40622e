package dev.tfkeras.models;

import dev.tfkeras.data.Batch;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * What a traced {@code trainStep} or {@code testStep} receives for one batch: Keras's {@code (x, y,
 * sample_weight)} tuple as symbolic operands of their real dtypes and shapes (batch axis first).
 *
 * <pre>{@code
 * protected Map<String, Operand<?>> trainStep(StepData data) {
 *   var x = data.x();             // the only input (data.x(i) for input i of several)
 *   var y = data.y();             // the only target
 *   var w = data.sampleWeight();  // null unless the data carries weights (or classWeight was set)
 *   ...                           // update the optimizer and metrics
 *   return getMetricsResult();    // the logs: {loss: ..., mae: ...}
 * }
 * }</pre>
 *
 * Boolean targets and weights arrive as float32 (0 and 1), ready for losses and metrics.
 */
public final class StepData {

  private final List<Operand<?>> inputs;
  private final List<Operand<? extends TNumber>> targets;
  private final Operand<? extends TNumber> sampleWeight;

  private StepData(
      List<Operand<?>> inputs, List<Operand<? extends TNumber>> targets, Operand<? extends TNumber> sampleWeight) {
    this.inputs = List.copyOf(inputs);
    this.targets = List.copyOf(targets);
    this.sampleWeight = sampleWeight;
  }

  /**
   * The step's data from the traced function's argument groups, as {@link #groups} made them:
   * inputs, targets, and no or one sample weight.
   */
  static StepData of(Ops tf, List<List<Operand<?>>> groups) {
    List<Operand<? extends TNumber>> targets = new ArrayList<>(groups.get(1).size());
    for (Operand<?> target : groups.get(1)) {
      targets.add(numeric(tf, target));
    }
    List<Operand<?>> weights = groups.get(2);
    return new StepData(groups.get(0), targets, weights.isEmpty() ? null : numeric(tf, weights.get(0)));
  }

  /**
   * A batch as the argument groups of the traced step, Keras's {@code (x, y, sample_weight)}: its
   * features, its labels, and its sample weights or {@code weights} (class weights) or nothing.
   */
  static List<List<TType>> groups(Batch batch, TType weights) {
    List<TType> inputs = new ArrayList<>(batch.featureCount());
    for (int i = 0; i < batch.featureCount(); i++) {
      inputs.add(batch.features(i));
    }
    List<TType> targets = new ArrayList<>(batch.labelCount());
    for (int i = 0; i < batch.labelCount(); i++) {
      targets.add(batch.labels(i));
    }
    TType sampleWeight = batch.hasSampleWeights() ? batch.sampleWeights() : weights;
    return List.of(inputs, targets, sampleWeight == null ? List.of() : List.of(sampleWeight));
  }

  @SuppressWarnings("unchecked")
  private static Operand<? extends TNumber> numeric(Ops tf, Operand<?> operand) {
    if (operand.type() == TBool.class) {
      return tf.dtypes.cast((Operand<TBool>) operand, TFloat32.class);
    }
    return (Operand<? extends TNumber>) operand;
  }

  /** The only input. @throws IllegalStateException if the model takes several */
  public Operand<?> x() {
    if (inputs.size() != 1) {
      throw new IllegalStateException(
          "This step has " + inputs.size() + " inputs; use x(i) or inputs().");
    }
    return inputs.get(0);
  }

  /** Input {@code i}. */
  public Operand<?> x(int i) {
    return inputs.get(i);
  }

  /** Every input, in order: what {@code model.apply(data.inputs(), training)} takes. */
  public List<Operand<?>> inputs() {
    return inputs;
  }

  /** The only target. @throws IllegalStateException if there are none or several */
  public Operand<? extends TNumber> y() {
    if (targets.size() != 1) {
      throw new IllegalStateException(
          "This step has " + targets.size() + " targets"
              + (targets.isEmpty() ? ": the data was made without y." : "; use y(i) or targets()."));
    }
    return targets.get(0);
  }

  /** Target {@code i}. */
  public Operand<? extends TNumber> y(int i) {
    return targets.get(i);
  }

  /** Every target, in order. */
  public List<Operand<? extends TNumber>> targets() {
    return targets;
  }

  /** The per-example sample weights, or null. */
  public Operand<? extends TNumber> sampleWeight() {
    return sampleWeight;
  }
}
