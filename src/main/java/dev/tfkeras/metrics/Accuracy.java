package dev.tfkeras.metrics;

import dev.tfkeras.function.Trace;
import dev.tfkeras.layers.Layer;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** How often predictions equal labels exactly, element by element (Keras {@code Accuracy}). */
public class Accuracy extends PredictionMetric {

  public Accuracy() {
    this("accuracy");
  }

  public Accuracy(String name) {
    super(name);
  }

  /** Accumulates one match value per element; labels and predictions must have the same shape. */
  @Override
  public void update(Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions) {
    Ops tf = Trace.current().ops();
    if (!labels.shape().isCompatibleWith(predictions.shape())) {
      throw new IllegalArgumentException(
          "Accuracy compares labels and predictions element by element: shapes must match, received"
              + " labels " + Layer.format(labels.shape()) + " and predictions "
              + Layer.format(predictions.shape()) + ".");
    }
    Operand<TFloat32> a = tf.dtypes.cast(labels, TFloat32.class);
    Operand<TFloat32> b = tf.dtypes.cast(predictions, TFloat32.class);
    accumulate(tf.dtypes.cast(tf.math.equal(a, b), TFloat32.class));
  }
}
