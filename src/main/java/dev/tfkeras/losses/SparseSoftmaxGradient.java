package dev.tfkeras.losses;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.family.TNumber;

/**
 * Registers the gradient of {@code SparseSoftmaxCrossEntropyWithLogits}, which TensorFlow's C++
 * gradient registry (used by graph gradients) lacks: d loss / d logits = upstream gradient × the
 * op's own {@code backprop} output (softmax − one-hot); labels get a zero gradient.
 */
final class SparseSoftmaxGradient {

  private static boolean registered;

  private SparseSoftmaxGradient() {}

  /** Registers the gradient once per process; later calls do nothing. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static synchronized void ensureRegistered() {
    if (registered) {
      return;
    }
    TensorFlow.registerCustomGradient(
        SparseSoftmaxCrossEntropyWithLogits.Inputs.class,
        (tf, op, gradInputs) -> {
          Operand upstream = gradInputs.get(0);
          Operand backprop = ((SparseSoftmaxCrossEntropyWithLogits) op.getOutputs()).backprop();
          Operand<? extends TNumber> labels = op.labels;
          Operand features = tf.math.mul(tf.expandDims(upstream, tf.constant(-1)), backprop);
          return List.of(features, tf.zerosLike(labels));
        });
    registered = true;
  }
}
