package dev.tfkeras.optimizers;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Several named vector weights of one layer ({@code weights/kernel}, {@code weights/bias}...), each
 * with a loss term whose gradient is known in closed form: {@code Σ c·w} (gradient c) or {@code ½ Σ
 * w²} (gradient w). A traced train step applies one optimizer step per call; {@link KerasReference}
 * computes what Keras would.
 */
final class NamedProblem {

  /** The weights, in the order given. */
  static final class Weights extends Layer {
    private final Map<String, float[]> starts;
    final List<Variable<TFloat32>> variables = new ArrayList<>();

    Weights(Map<String, float[]> starts) {
      this.starts = starts;
    }

    @Override
    protected void build(Shape inputShape) {
      starts.forEach(
          (name, start) ->
              variables.add(addWeight(name, Shape.of(start.length), Constant.values(start), true)));
    }

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
      return input;
    }
  }

  final Weights layer;
  final TfFunction<Void> step;
  private final List<String> names;
  private final float[][] starts;
  private final float[][] linear;

  /**
   * @param starts initial values by weight name, in order
   * @param linear per weight, the constant gradient c, or null for the quadratic term (gradient w)
   */
  NamedProblem(Optimizer optimizer, Map<String, float[]> starts, float[]... linear) {
    if (linear.length != starts.size()) {
      throw new IllegalArgumentException("one linear coefficient array (or null) per weight");
    }
    this.names = new ArrayList<>(starts.keySet());
    this.starts = starts.values().stream().map(float[]::clone).toArray(float[][]::new);
    this.linear = linear.clone();
    this.layer = new Weights(new LinkedHashMap<>(starts));
    this.step =
        TfFunction.of(
                TFloat32.class,
                x -> {
                  Ops tf = TfFunction.ops();
                  var tape = new GradientTape();
                  Operand<TFloat32> loss;
                  try (tape) {
                    layer.apply(x);
                    loss = tf.constant(0f);
                    for (int i = 0; i < this.linear.length; i++) {
                      Operand<TFloat32> w = layer.variables.get(i).read(tf);
                      Operand<TFloat32> term =
                          this.linear[i] != null
                              ? tf.sum(tf.math.mul(w, tf.constant(this.linear[i])), tf.constant(0))
                              : tf.math.mul(
                                  tf.constant(0.5f), tf.sum(tf.math.square(w), tf.constant(0)));
                      loss = tf.math.add(loss, term);
                    }
                  }
                  optimizer.applyGradients(
                      tape.gradient(loss, layer.trainableVariables()), layer.trainableVariables());
                })
            .named("train_step");
  }

  /** One weight {@code weights/w}. */
  static NamedProblem single(Optimizer optimizer, float[] start, float[] linear) {
    return new NamedProblem(optimizer, Map.of("w", start), new float[][] {linear});
  }

  /** Creates the weights without a train step (to name them in the optimizer's options). */
  NamedProblem build() {
    try (TFloat32 x = Tensors.vector(0f)) {
      TfFunction.of(
              TFloat32.class,
              in -> {
                layer.apply(in);
              })
          .call(x);
    }
    return this;
  }

  /** Runs {@code n} train steps. */
  void run(int n) {
    for (int i = 0; i < n; i++) {
      try (TFloat32 x = Tensors.vector(0f)) {
        step.call(x);
      }
    }
  }

  Variable<TFloat32> variable(String name) {
    return layer.variables.get(names.indexOf(name));
  }

  float[] weights(String name) {
    try (TFloat32 t = variable(name).value()) {
      return Tensors.read(t);
    }
  }

  float[] start(String name) {
    return starts[names.indexOf(name)];
  }

  /** The Keras reference for the same weights and gradients. */
  KerasReference reference(KerasReference.Rule rule) {
    return new KerasReference(rule, starts, linear);
  }
}
