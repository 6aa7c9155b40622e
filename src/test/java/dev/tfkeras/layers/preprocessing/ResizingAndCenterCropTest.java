package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Ports keras/src/layers/preprocessing/image_preprocessing/resizing_test.py and center_crop_test.py
 * (the image cases; bounding boxes are not supported). Bilinear values are computed by hand from
 * TF's half-pixel-center rule, independent of oneDNN.
 */
@ExtendWith(FreshRuntime.class)
class ResizingAndCenterCropTest {

  private record Out(Shape shape, float[] values) {}

  private static Out run(Layer layer, Shape shape, float[] values) {
    try (TFloat32 x = TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
        TFloat32 y = layer.apply(x)) {
      return new Out(y.shape(), Tensors.read(y));
    }
  }

  private static float[] arange(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = i;
    return out;
  }

  private static float[] random(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = random.nextFloat();
    return out;
  }

  /** NHWC to NCHW (or a single HWC image to CHW with batch 1). */
  private static float[] toChannelsFirst(float[] x, int b, int h, int w, int c) {
    float[] out = new float[x.length];
    for (int n = 0; n < b; n++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int k = 0; k < c; k++)
      out[((n * c + k) * h + i) * w + j] = x[((n * h + i) * w + j) * c + k];
    return out;
  }

  /** The Keras test's np_center_crop on NHWC. */
  private static float[] crop(float[] x, int b, int h, int w, int c, int hNew, int wNew) {
    float[] out = new float[b * hNew * wNew * c];
    int hs = (h - hNew) / 2;
    int ws = (w - wNew) / 2;
    int p = 0;
    for (int n = 0; n < b; n++) for (int i = 0; i < hNew; i++) for (int j = 0; j < wNew; j++) for (int k = 0; k < c; k++)
      out[p++] = x[((n * h + i + hs) * w + j + ws) * c + k];
    return out;
  }

  // ---- resizing_test.py -------------------------------------------------------------------------

  /** test_resizing_basics: (2, 12, 12, 3) to (2, 6, 6, 3), every mode and layout, no weights. */
  @Test
  void resizingBasics() {
    for (String interpolation : new String[] {"nearest", "bilinear", "bicubic", "area"}) {
      for (int mode = 0; mode < 3; mode++) {
        for (String format : new String[] {"channels_last", "channels_first"}) {
          GraphRuntime.reset();
          Resizing layer = new Resizing(6, 6).interpolation(interpolation)
              .cropToAspectRatio(mode == 1).padToAspectRatio(mode == 2).dataFormat(format);
          boolean last = format.equals("channels_last");
          Out out = run(layer, last ? Shape.of(2, 12, 12, 3) : Shape.of(2, 3, 12, 12), new float[2 * 12 * 12 * 3]);
          assertEquals(last ? Shape.of(2, 6, 6, 3) : Shape.of(2, 3, 6, 6), out.shape(), interpolation + " " + format);
          assertEquals(0, layer.countParams());
        }
      }
    }
  }

  /** test_down_sampling_numeric and test_up_sampling_numeric (nearest), both layouts. */
  @Test
  void samplingNumericNearest() {
    for (String format : new String[] {"channels_last", "channels_first"}) {
      GraphRuntime.reset();
      boolean last = format.equals("channels_last");
      Out down = run(new Resizing(2, 2).interpolation("nearest").dataFormat(format),
          last ? Shape.of(1, 4, 4, 1) : Shape.of(1, 1, 4, 4), arange(16));
      assertArrayEquals(new float[] {5, 7, 13, 15}, down.values());
      GraphRuntime.reset();
      Out up = run(new Resizing(4, 4).interpolation("nearest").dataFormat(format),
          last ? Shape.of(1, 2, 2, 1) : Shape.of(1, 1, 2, 2), arange(4));
      assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, up.values());
    }
  }

  /** Bilinear (the default) by hand: half-pixel centers, rows weighted [0, .25, .75, 1] up, 0.5 down. */
  @Test
  void bilinearNumeric() {
    Out up = run(new Resizing(4, 4), Shape.of(1, 2, 2, 1), arange(4));
    float[] r = {0, 0.25f, 0.75f, 1};
    float[] expected = new float[16];
    for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) expected[y * 4 + x] = 2 * r[y] + r[x];
    assertArrayEquals(expected, up.values(), 1e-6f);
    GraphRuntime.reset();
    Out down = run(new Resizing(2, 2), Shape.of(1, 4, 4, 1), arange(16));
    assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, down.values(), 1e-6f);
  }

  /** test_crop_to_aspect_ratio: 4x4 to 4x2 crops the middle columns first; both layouts. */
  @Test
  void cropToAspectRatio() {
    for (String format : new String[] {"channels_last", "channels_first"}) {
      GraphRuntime.reset();
      Out out = run(new Resizing(4, 2).interpolation("nearest").dataFormat(format).cropToAspectRatio(true),
          format.equals("channels_last") ? Shape.of(1, 4, 4, 1) : Shape.of(1, 1, 4, 4), arange(16));
      assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10, 13, 14}, out.values());
    }
  }

  /** Pad to aspect ratio: a 2x4 image to 4x4 gains a row of fill above and below. */
  @Test
  void padToAspectRatio() {
    Out out = run(new Resizing(4, 4).interpolation("nearest").padToAspectRatio(true).fillValue(-1),
        Shape.of(1, 2, 4, 1), arange(8));
    assertArrayEquals(new float[] {-1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1, -1}, out.values());
  }

  /** test_unbatched_image: a (4, 4, 1) image and its (1, 4, 4) channels-first form. */
  @Test
  void unbatchedImage() {
    Out last = run(new Resizing(2, 2).interpolation("nearest"), Shape.of(4, 4, 1), arange(16));
    assertEquals(Shape.of(2, 2, 1), last.shape());
    assertArrayEquals(new float[] {5, 7, 13, 15}, last.values());
    GraphRuntime.reset();
    Out first = run(new Resizing(2, 2).interpolation("nearest").dataFormat("channels_first"), Shape.of(1, 4, 4), arange(16));
    assertEquals(Shape.of(1, 2, 2), first.shape());
    assertArrayEquals(new float[] {5, 7, 13, 15}, first.values());
  }

  /** test_data_stretch: crop to aspect ratio of a (1, 1, 4, 4) image gives (1, 15, w, 4). */
  @Test
  void dataStretch() {
    for (int[] size : new int[][] {{15, 10}, {15, 100}}) {
      GraphRuntime.reset();
      Out out = run(new Resizing(size[0], size[1]).cropToAspectRatio(true), Shape.of(1, 1, 4, 4), random(new Random(3), 16));
      assertEquals(Shape.of(1, size[0], size[1], 4), out.shape());
    }
  }

  /** Keras rounds (and saturates) integer images after resizing. */
  @Test
  void uint8ImagesAreRounded() {
    Resizing layer = new Resizing(4, 4);
    try (TUint8 x = Tensors.bytes(new int[] {0, 255, 255, 0}, 1, 2, 2, 1);
        TFloat32 y = layer.apply(x)) {
      float[] v = Tensors.read(y);
      // bilinear 63.75 → 64, 191.25 → 191
      assertEquals(64f, v[1]);
      assertEquals(191f, v[2]);
    }
  }

  @Test
  void errors() {
    assertThrows(IllegalArgumentException.class, () -> new Resizing(2, 2).interpolation("lanczos5"));
    var both = assertThrows(IllegalArgumentException.class,
        () -> run(new Resizing(2, 2).cropToAspectRatio(true).padToAspectRatio(true), Shape.of(1, 4, 4, 1), arange(16)));
    assertEquals("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.", both.getMessage());
    var rank = assertThrows(IllegalArgumentException.class, () -> run(new Resizing(2, 2), Shape.of(4, 4), arange(16)));
    assertEquals("Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). Received input"
        + " with shape: images.shape=(None, 4)", rank.getMessage());
  }

  // ---- center_crop_test.py ----------------------------------------------------------------------

  /** test_center_crop_basics. */
  @Test
  void centerCropBasics() {
    assertEquals(Shape.of(2, 6, 6, 3), run(new CenterCrop(6, 6), Shape.of(2, 12, 12, 3), new float[2 * 12 * 12 * 3]).shape());
    GraphRuntime.reset();
    assertEquals(Shape.of(2, 3, 7, 7),
        run(new CenterCrop(7, 7).dataFormat("channels_first"), Shape.of(2, 3, 13, 13), new float[2 * 3 * 13 * 13]).shape());
  }

  /** test_center_crop_correctness: batched and unbatched, both layouts, four sizes. */
  @Test
  void centerCropCorrectness() {
    Random random = new Random(5);
    Object[][] cases = {{5, 7, "channels_first"}, {5, 7, "channels_last"}, {4, 9, "channels_first"}, {9, 4, "channels_last"}};
    for (Object[] c : cases) {
      int h = (int) c[0];
      int w = (int) c[1];
      boolean first = c[2].equals("channels_first");
      for (int batch : new int[] {2, 0}) {
        GraphRuntime.reset();
        int b = Math.max(batch, 1);
        float[] nhwc = random(random, b * 9 * 11 * 3);
        float[] expected = crop(nhwc, b, 9, 11, 3, h, w);
        float[] input = first ? toChannelsFirst(nhwc, b, 9, 11, 3) : nhwc;
        Shape shape = first ? Shape.of(b, 3, 9, 11) : Shape.of(b, 9, 11, 3);
        if (batch == 0) shape = Shape.of(shape.tail().asArray());
        Out out = run(new CenterCrop(h, w).dataFormat((String) c[2]), shape, input);
        assertArrayEquals(first ? toChannelsFirst(expected, b, h, w, 3) : expected, out.values(), c[2] + " " + h + "x" + w);
      }
    }
  }

  /** test_input_smaller_than_crop_box and test_image_stretch: equal to Resizing with crop_to_aspect_ratio. */
  @Test
  void inputSmallerThanCropBox() {
    Random random = new Random(6);
    Object[][] cases = {{15, 10, Shape.of(2, 9, 11, 3)}, {10, 17, Shape.of(2, 9, 11, 3)}, {5, 17, Shape.of(2, 11, 3, 9)},
        {5, 100, Shape.of(2, 11, 3, 9)}};
    for (Object[] c : cases) {
      Shape shape = (Shape) c[2];
      float[] x = random(random, (int) shape.size());
      GraphRuntime.reset();
      Out cropped = run(new CenterCrop((int) c[0], (int) c[1]), shape, x);
      GraphRuntime.reset();
      Out resized = run(new Resizing((int) c[0], (int) c[1]).cropToAspectRatio(true), shape, x);
      assertEquals(resized.shape(), cropped.shape());
      assertArrayEquals(resized.values(), cropped.values(), 1e-6f);
    }
  }

}
