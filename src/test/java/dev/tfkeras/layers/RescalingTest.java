package dev.tfkeras.layers;

import static dev.tfkeras.layers.LayerConformance.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.function.Trace;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

@ExtendWith(FreshRuntime.class)
class RescalingTest {

  @Test
  void scalesAndOffsetsFloats() {
    float[] x = {-2, 0, 1.5f, 255};
    var out = LayerConformance.run(new Rescaling(1 / 127.5, -1), Shape.of(2, 2), x, 0);
    float[] expected = new float[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = x[i] * (float) (1 / 127.5) + -1f;
    }
    assertArrayEquals(expected, out.values(), 0f);
  }

  @Test
  void takesUint8ImagesAndReturnsFloat32() {
    Rescaling rescale = new Rescaling(1 / 255.0);
    var fn = TfFunction.returning(TUint8.class, x -> rescale.apply(x));
    int[] pixels = {0, 1, 128, 255, 17, 200};
    try (TUint8 x = Tensors.bytes(pixels, 1, 2, 3, 1);
        TFloat32 y = fn.call(x)) {
      assertEquals(Shape.of(1, 2, 3, 1), y.shape());
      float[] expected = new float[pixels.length];
      for (int i = 0; i < pixels.length; i++) {
        expected[i] = pixels[i] * (float) (1 / 255.0);
      }
      assertArrayEquals(expected, Tensors.read(y), 0f);
    }
  }

  @Test
  void takesIntegerInputsAndPassesMasksOn() {
    Rescaling rescale = new Rescaling(0.5, 3);
    var fn = TfFunction.returning(TInt32.class, x -> {
      var tf = TfFunction.ops();
      Trace.current().setMask(x, tf.math.notEqual(x, tf.constant(0)));
      var y = rescale.apply(x);
      assertNotNull(Trace.current().mask(y), "Rescaling keeps the Keras mask, as supports_masking");
      return y;
    });
    try (TInt32 x = Tensors.ints(new int[] {0, 4, -6}, 1, 3);
        TFloat32 y = fn.call(x)) {
      assertArrayEquals(new float[] {3, 5, 0}, Tensors.read(y), 0f);
    }
  }

  @Test
  void firstLayerOfASequentialModelFedWithBytes() {
    try (var model = new Sequential(new Rescaling(1 / 255.0))) {
      float[][] out = model.predict(new byte[][] {{(byte) 255, 0, (byte) 128}});
      assertArrayEquals(new float[] {1f, 0f, 128 * (float) (1 / 255.0)}, out[0], 0f);
      assertEquals(0, model.countParams());
    }
  }
}
