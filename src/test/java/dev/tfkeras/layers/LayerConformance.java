package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.function.TfFunction;
import java.util.Arrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The checks every layer test runs (like Keras's {@code run_layer_test}): the layer builds once on
 * its first apply, its static output shape matches the computed one, a second call with another
 * batch size reuses the weights, and its parameter count is the expected one.
 */
public final class LayerConformance {

  private LayerConformance() {}

  /** The result of running a layer: output values and shape. */
  public record Output(Shape shape, float[] values) {}

  /**
   * Applies {@code layer} (inference mode) to {@code input} of shape {@code inputShape} and runs
   * the conformance checks.
   */
  public static Output run(Layer layer, Shape inputShape, float[] input, long expectedParams) {
    assertFalse(layer.isBuilt(), "layer must not be built before its first apply");
    TfFunction<TFloat32> fn = TfFunction.returning(TFloat32.class, x -> layer.apply(x, false));
    Output first = call(fn, inputShape, input);
    assertTrue(layer.isBuilt());
    int weights = layer.variables().size();
    assertEquals(expectedParams, layer.countParams(), "parameter count");
    Shape staticShape = layer.outputShape();
    assertEquals(first.shape().numDimensions(), staticShape.numDimensions(), "output rank");
    for (int i = 1; i < staticShape.numDimensions(); i++) {
      assertEquals(first.shape().get(i), staticShape.get(i), "static output dim " + i);
    }
    // A second batch size reuses the trace and the weights.
    long[] doubled = inputShape.asArray();
    doubled[0] *= 2;
    float[] twice = Arrays.copyOf(input, input.length * 2);
    System.arraycopy(input, 0, twice, input.length, input.length);
    Output second = call(fn, Shape.of(doubled), twice);
    assertEquals(1, fn.traceCount(), "a new batch size must not retrace");
    assertEquals(weights, layer.variables().size(), "weights are created once");
    float[] expectedTwice = Arrays.copyOf(first.values(), first.values().length * 2);
    System.arraycopy(first.values(), 0, expectedTwice, first.values().length, first.values().length);
    assertArrayEquals(expectedTwice, second.values(), 1e-6f);
    return first;
  }

  /** Runs a one-argument function on host data. */
  public static Output call(TfFunction<TFloat32> fn, Shape shape, float[] input) {
    try (TFloat32 x = tensor(shape, input);
        TFloat32 y = fn.call(x)) {
      return new Output(y.shape(), values(y));
    }
  }

  public static TFloat32 tensor(Shape shape, float... values) {
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  public static float[] values(TFloat32 tensor) {
    float[] out = new float[(int) tensor.shape().size()];
    tensor.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  public static void assertArrayEquals(float[] expected, float[] actual, float tolerance) {
    assertEquals(expected.length, actual.length, "length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, "element " + i);
    }
  }

  /** 0, 1, 2, ... as floats, for inputs whose outputs are easy to compute by hand. */
  public static float[] range(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }
}
