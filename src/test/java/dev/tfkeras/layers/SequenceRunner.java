package dev.tfkeras.layers;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Runs sequence layers on host data in tests: every output of {@code applyAll}, with an optional mask. */
final class SequenceRunner {

  /** One output's runtime shape and values. */
  record Output(Shape shape, float[] values) {}

  private SequenceRunner() {}

  /** Every output of {@code layer} applied (inference) to {@code x} of {@code shape}. */
  static List<Output> run(Layer layer, float[] x, long... shape) {
    return run(layer, x, null, shape);
  }

  /**
   * Every output of {@code layer} applied (inference) to {@code x}, with {@code mask} ({@code
   * [batch][time]}, true = real step) attached as a Keras mask when not null.
   */
  static List<Output> run(Layer layer, float[] x, boolean[][] mask, long... shape) {
    Masked masked = mask == null ? null : new Masked();
    // One trace: every output flattened and concatenated, split again on the host.
    TfFunction<TFloat32> fn =
        TfFunction.returning(
            TFloat32.class,
            in -> {
              var tf = TfFunction.ops();
              Operand<TFloat32> input = in;
              if (masked != null) {
                input = masked.apply(List.of(in, tf.constant(toFloats(mask))), false);
              }
              List<Operand<TFloat32>> all = layer.applyAll(input, false);
              if (all.size() == 1) {
                return all.get(0);
              }
              List<Operand<TFloat32>> flat = new ArrayList<>();
              all.forEach(o -> flat.add(tf.reshape(o, tf.constant(new long[] {-1}))));
              return tf.concat(flat, tf.constant(0));
            });
    try (TFloat32 in = Tensors.floats(x, shape);
        TFloat32 out = fn.call(in)) {
      float[] values = Tensors.read(out);
      List<Shape> shapes = layer.outputShapes();
      if (shapes.size() == 1) {
        return List.of(new Output(out.shape(), values));
      }
      List<Output> outputs = new ArrayList<>();
      int offset = 0;
      for (Shape s : shapes) {
        long[] dims = s.asArray();
        dims[0] = shape[0];
        int n = (int) Shape.of(dims).size();
        outputs.add(new Output(Shape.of(dims), java.util.Arrays.copyOfRange(values, offset, offset + n)));
        offset += n;
      }
      return outputs;
    }
  }

  static float[][] toFloats(boolean[][] mask) {
    float[][] out = new float[mask.length][];
    for (int i = 0; i < mask.length; i++) {
      out[i] = new float[mask[i].length];
      for (int j = 0; j < mask[i].length; j++) {
        out[i][j] = mask[i][j] ? 1f : 0f;
      }
    }
    return out;
  }

  /** {@code n} values uniform in [-scale, scale), reproducible from {@code seed}. */
  static float[] random(long seed, int n, double scale) {
    Random random = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
    }
    return out;
  }
}
