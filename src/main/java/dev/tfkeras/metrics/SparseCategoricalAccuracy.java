package dev.tfkeras.metrics;

import dev.tfkeras.function.Trace;
import dev.tfkeras.losses.LossShapes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/** How often the arg-max of the predictions equals the integer label. */
public class SparseCategoricalAccuracy extends PredictionMetric {

  public SparseCategoricalAccuracy() {
    this("sparse_categorical_accuracy");
  }

  public SparseCategoricalAccuracy(String name) {
    super(name);
  }

  /** Accumulates one match value per sample. */
  @Override
  public void update(Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions) {
    Ops tf = Trace.current().ops();
    Operand<TInt64> classes = LossShapes.sparseLabels(tf, labels, predictions);
    Operand<TInt64> predicted = tf.math.argMax(predictions, tf.constant(-1), TInt64.class);
    accumulate(tf.dtypes.cast(tf.math.equal(predicted, classes), TFloat32.class));
  }
}
