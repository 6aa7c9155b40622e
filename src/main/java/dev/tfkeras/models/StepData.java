package dev.tfkeras.models;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * What a traced {@code trainStep} or {@code testStep} receives for one batch: Keras's {@code (x, y,
 * sample_weight)} tuple as symbolic operands of their real dtypes and shapes (batch axis first).
 *
 * <pre>{@code
 * protected void trainStep(StepData data) {
 *   var x = data.x();             // the only input (data.x(i) for input i of several)
 *   var y = data.y();             // the only target
 *   var w = data.sampleWeight();  // null unless the data carries weights (or classWeight was set)
 *   ...
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

  /** Splits a traced function's arguments: inputs, then targets, then the sample weight if any. */
  static StepData of(Ops tf, List<Operand<?>> args, int inputCount, int targetCount, boolean weighted) {
    List<Operand<? extends TNumber>> targets = new ArrayList<>(targetCount);
    for (int i = inputCount; i < inputCount + targetCount; i++) {
      targets.add(numeric(tf, args.get(i)));
    }
    return new StepData(
        args.subList(0, inputCount),
        targets,
        weighted ? numeric(tf, args.get(inputCount + targetCount)) : null);
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
