package dev.tfkeras.metrics;

import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The metric behind the identifiers {@code "accuracy"} and {@code "acc"}: binary, sparse
 * categorical or categorical accuracy, chosen from the shapes of the first update as Keras's
 * {@code compile_utils.is_binary_or_sparse_categorical} does, then kept.
 */
final class ShapeSelectedAccuracy extends MeanMetricWrapper {

  /** The accuracies it chooses between. */
  enum Kind {
    BINARY,
    SPARSE_CATEGORICAL,
    CATEGORICAL
  }

  private Kind kind;

  ShapeSelectedAccuracy(String name) {
    super(name);
  }

  /** The accuracy chosen at the first update, or null before it. */
  Kind kind() {
    return kind;
  }

  /**
   * Keras's rule: binary if the predictions' last axis is 1; else sparse if the labels have fewer
   * axes, or a last axis of 1 against several prediction columns; else categorical.
   */
  static Kind select(Operand<?> yTrue, Operand<?> yPred) {
    long trueLast = MetricOps.lastDim(yTrue);
    long predLast = MetricOps.lastDim(yPred);
    if (predLast == 1) {
      return Kind.BINARY;
    }
    if (MetricOps.rank(yTrue) < MetricOps.rank(yPred) || (trueLast == 1 && predLast > 1)) {
      return Kind.SPARSE_CATEGORICAL;
    }
    return Kind.CATEGORICAL;
  }

  @Override
  protected Operand<TFloat32> values(
      Ops tf, Operand<? extends TNumber> yTrue, Operand<? extends TNumber> yPred) {
    if (kind == null) {
      kind = select(yTrue, yPred);
    }
    return switch (kind) {
      case BINARY -> BinaryAccuracy.matches(tf, yTrue, yPred, 0.5, name());
      case SPARSE_CATEGORICAL -> SparseCategoricalAccuracy.matches(tf, yTrue, yPred);
      case CATEGORICAL -> CategoricalAccuracy.matches(tf, yTrue, yPred);
    };
  }

  @Override
  public String toString() {
    String chosen =
        kind == null
            ? "chosen at first update"
            : switch (kind) {
              case BINARY -> "BinaryAccuracy";
              case SPARSE_CATEGORICAL -> "SparseCategoricalAccuracy";
              case CATEGORICAL -> "CategoricalAccuracy";
            };
    return "Accuracy(" + chosen + ")[" + name() + "]";
  }

  /**
   * None: Keras keeps the identifier ({@code "accuracy"}) in a compile config, not a class, and so
   * does tfkeras; a metric object with a config is a {@link BinaryAccuracy}, {@link
   * SparseCategoricalAccuracy} or {@link CategoricalAccuracy}.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public Config getConfig() {
    throw new UnsupportedOperationException(
        "Metric '" + name() + "' is Keras's \"" + name() + "\" identifier, which chooses its accuracy from"
            + " the shapes it first sees; it is saved as that identifier, not as a class. To save a metric"
            + " object, use BinaryAccuracy, SparseCategoricalAccuracy or CategoricalAccuracy.");
  }
}
