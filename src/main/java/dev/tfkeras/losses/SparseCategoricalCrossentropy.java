package dev.tfkeras.losses;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Cross-entropy between integer class labels {@code (batch)} (or {@code (batch, 1)}) and predictions
 * {@code (batch, classes)}: logits when {@code fromLogits}, else probabilities (each row is
 * normalized to sum to 1 and clipped to [1e-7, 1 - 1e-7], as in Keras). A label outside {@code [0,
 * classes)} fails the call with a message naming it; a one-unit output is rejected when traced.
 */
public class SparseCategoricalCrossentropy extends Loss {

  private static final float EPSILON = 1e-7f;
  private boolean fromLogits;

  /** Expects probabilities (Keras's default). */
  public SparseCategoricalCrossentropy() {
    this(false);
  }

  /** @param fromLogits whether predictions are logits (no softmax applied yet) */
  public SparseCategoricalCrossentropy(boolean fromLogits) {
    this(fromLogits, Reduction.SUM_OVER_BATCH_SIZE);
  }

  public SparseCategoricalCrossentropy(boolean fromLogits, Reduction reduction) {
    super("sparse_categorical_crossentropy", reduction);
    this.fromLogits = fromLogits;
    if (fromLogits) {
      SparseSoftmaxGradient.ensureRegistered();
    }
  }

  /** Whether predictions are logits rather than probabilities. */
  public boolean fromLogits() {
    return fromLogits;
  }

  /**
   * Keras's {@code from_logits}: whether predictions are logits (softmax not applied yet) rather
   * than probabilities (default false); returns this.
   *
   * @throws IllegalStateException once the loss has been called
   */
  public SparseCategoricalCrossentropy fromLogits(boolean fromLogits) {
    checkNotCalled("fromLogits");
    this.fromLogits = fromLogits;
    if (fromLogits) {
      SparseSoftmaxGradient.ensureRegistered();
    }
    return this;
  }

  /** Keras's {@code name}, the loss's scope and log key; returns this. */
  @Override
  public SparseCategoricalCrossentropy name(String name) {
    super.name(name);
    return this;
  }

  /** Keras's {@code reduction}; returns this. */
  @Override
  public SparseCategoricalCrossentropy reduction(Reduction reduction) {
    super.reduction(reduction);
    return this;
  }

  /** Keras's {@code reduction} by name, e.g. {@code "sum"}; returns this. */
  @Override
  public SparseCategoricalCrossentropy reduction(String reduction) {
    super.reduction(reduction);
    return this;
  }

  @Override
  protected Operand<TFloat32> perSample(
      Ops tf, Operand<? extends TNumber> labels, Operand<TFloat32> predictions) {
    Shape p = predictions.shape();
    long depth = p.isUnknown() || p.numDimensions() == 0 ? Shape.UNKNOWN_SIZE : p.get(p.numDimensions() - 1);
    if (depth == Shape.UNKNOWN_SIZE) {
      throw new IllegalArgumentException(
          "SparseCategoricalCrossentropy needs predictions (batch, classes) with a known number of"
              + " classes on the last axis, received shape " + Layer.format(p) + ".");
    }
    OneUnit.reject(p, "SparseCategoricalCrossentropy",
        "the loss would be 0 for label 0 and any other label would be out of range");
    Operand<TInt64> classes =
        LossShapes.checkedClassIndices(tf, LossShapes.sparseLabels(tf, labels, predictions), depth);
    if (fromLogits) {
      if (p.numDimensions() == 2) {
        return tf.nn.sparseSoftmaxCrossEntropyWithLogits(predictions, classes).loss();
      }
      // The kernel takes (n, classes) logits: flatten (batch, ..., classes), then restore the shape.
      Operand<TFloat32> flat = tf.nn.sparseSoftmaxCrossEntropyWithLogits(
              tf.reshape(predictions, tf.constant(new long[] {-1, depth})),
              tf.reshape(classes, tf.constant(new long[] {-1})))
          .loss();
      return tf.reshape(flat, tf.shape(classes));
    }
    Operand<TFloat32> oneHot =
        tf.oneHot(classes, tf.constant((int) depth), tf.constant(1f), tf.constant(0f));
    // As Keras: each row is divided by its sum before clipping, like CategoricalCrossentropy.
    Operand<TFloat32> normalized =
        tf.math.div(predictions, tf.sum(predictions, tf.constant(-1), Sum.keepDims(true)));
    Operand<TFloat32> logP =
        tf.math.log(tf.clipByValue(normalized, tf.constant(EPSILON), tf.constant(1f - EPSILON)));
    return tf.math.neg(tf.sum(tf.math.mul(oneHot, logP), tf.constant(-1)));
  }

  /**
   * Keras's config: {@code name}, {@code reduction}, then {@code from_logits}, {@code ignore_class}
   * (null). {@code axis} (always -1 here) is left out: Keras 3.10 added it, and Keras 3.0 to 3.9
   * refuse it as an unknown argument; it is accepted on read.
   */
  @Override
  public Config getConfig() {
    return super.getConfig().put("from_logits", fromLogits).put("ignore_class", null);
  }

  /** Keras's {@code SparseCategoricalCrossentropy.from_config}: each key left out takes Keras's default. */
  public static SparseCategoricalCrossentropy fromConfig(Config config) {
    SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy(config.getBoolean("from_logits", false));
    requireLastAxis(config);
    config.requireDefault("ignore_class");
    return configure(loss, config);
  }
}
