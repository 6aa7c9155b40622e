package dev.tfkeras.optimizers;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.Param;
import dev.tfkeras.testing.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A weight vector, a loss with a gradient known in closed form, and a traced train step that
 * applies one optimizer step per call.
 */
final class Problem {

  final Param param;
  final TfFunction<Void> step;
  final float[] start;

  private Problem(Optimizer optimizer, float[] start, float[] linear) {
    this.start = start.clone();
    this.param = Param.vector(start);
    this.step =
        TfFunction.of(
                TFloat32.class,
                x -> {
                  Ops tf = TfFunction.ops();
                  var tape = new GradientTape();
                  Operand<TFloat32> loss;
                  try (tape) {
                    Operand<TFloat32> w = param.apply(x, true);
                    loss =
                        linear != null
                            ? tf.sum(tf.math.mul(w, tf.constant(linear)), tf.constant(0))
                            : tf.math.mul(tf.constant(0.5f), tf.sum(tf.math.square(w), tf.constant(0)));
                  }
                  optimizer.applyGradients(
                      tape.gradient(loss, param.trainableVariables()), param.trainableVariables());
                })
            .named("train_step");
  }

  /** loss = 0.5 Σ w², so the gradient is w itself. */
  static Problem quadratic(Optimizer optimizer, float... start) {
    return new Problem(optimizer, start, null);
  }

  /** loss = Σ c·w, so the gradient is the constant c. */
  static Problem linear(Optimizer optimizer, float[] start, float[] c) {
    return new Problem(optimizer, start, c.clone());
  }

  /** Runs {@code n} train steps. */
  void run(int n) {
    for (int i = 0; i < n; i++) {
      try (TFloat32 x = Tensors.vector(0f)) {
        step.call(x);
      }
    }
  }

  float[] weights() {
    return param.value();
  }
}
