package dev.tfkeras.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Ports the deterministic cases of keras/src/layers/preprocessing/image_preprocessing/random_*_test.py
 * (fixed factors, inference, errors) and checks the affine layers against {@link AffineReference},
 * a plain-Java copy of the transform TF's kernel computes, for every fill mode and interpolation.
 */
@ExtendWith(FreshRuntime.class)
class AugmentationTest {

  private static float[] run(Layer layer, Shape shape, float[] values, boolean training) {
    try (TFloat32 x = TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
        TFloat32 y = layer.apply(x, training)) {
      assertEquals(shape, y.shape());
      return Tensors.read(y);
    }
  }

  private static float[] arange(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = i;
    return out;
  }

  private static float[] random(long seed, int n, float scale) {
    Random random = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = random.nextFloat() * scale;
    return out;
  }

  private static float[] grid(int[][] rows) {
    return Arrays.stream(rows).flatMapToInt(Arrays::stream).collect(
        () -> new float[][] {new float[0]}, (a, v) -> {
          a[0] = Arrays.copyOf(a[0], a[0].length + 1);
          a[0][a[0].length - 1] = v;
        }, (a, b) -> {})[0];
  }

  private static void assertClose(float[] expected, float[] actual, float tolerance) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, "value " + i + " of " + Arrays.toString(actual));
    }
  }

  // ---- inference, seeds --------------------------------------------------------------------------

  /** test_training_false / test_*_inference: every layer is the identity at inference. */
  @Test
  void everyLayerIsTheIdentityAtInference() {
    float[] x = random(1, 2 * 5 * 6 * 3, 255);
    Supplier<?>[] layers = {
      RandomFlip::new, () -> new RandomRotation(0.5), () -> new RandomZoom(0.5, 0.3),
      () -> new RandomTranslation(0.2, 0.1), () -> new RandomContrast(0.75), () -> new RandomBrightness(0.5)
    };
    for (Supplier<?> layer : layers) {
      assertArrayEquals(x, run((Layer) layer.get(), Shape.of(2, 5, 6, 3), x, false), layer.get().toString());
    }
  }

  /** The same seed gives the same output (in a fresh graph too); another seed another output. */
  @Test
  void theSameSeedGivesTheSameOutput() {
    float[] x = random(2, 8 * 6 * 6 * 1, 1);
    Shape shape = Shape.of(8, 6, 6, 1);
    float[] first = run(new RandomRotation(0.2).seed(42), shape, x, true);
    float[] same = run(new RandomRotation(0.2).seed(42), shape, x, true);
    GraphRuntime.reset();
    float[] fresh = run(new RandomRotation(0.2).seed(42), shape, x, true);
    float[] other = run(new RandomRotation(0.2).seed(43), shape, x, true);
    assertArrayEquals(first, same);
    assertArrayEquals(first, fresh);
    assertFalse(Arrays.equals(first, other));
    assertFalse(Arrays.equals(first, x), "rotated in training");
  }

  // ---- RandomFlip ----------------------------------------------------------------------------------

  /** Each image is either unchanged or mirrored (both ways at once for horizontal_and_vertical), each outcome seen. */
  @Test
  void flipsMirrorWholeImages() {
    int b = 32, h = 2, w = 3, c = 2;
    float[] x = random(3, b * h * w * c, 1);
    for (String mode : RandomFlip.MODES) {
      float[] y = run(new RandomFlip(mode).seed(7), Shape.of(b, h, w, c), x, true);
      int flipped = 0;
      for (int n = 0; n < b; n++) {
        boolean same = true, mirrored = true;
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int k = 0; k < c; k++) {
          int si = mode.equals("horizontal") ? i : h - 1 - i;
          int sj = mode.equals("vertical") ? j : w - 1 - j;
          float out = y[((n * h + i) * w + j) * c + k];
          same &= out == x[((n * h + i) * w + j) * c + k];
          mirrored &= out == x[((n * h + si) * w + sj) * c + k];
        }
        assertTrue(same || mirrored, mode + " image " + n);
        flipped += mirrored && !same ? 1 : 0;
      }
      assertTrue(flipped > 0 && flipped < b, mode + ": " + flipped + " of " + b + " flipped");
    }
  }

  /** test_random_flip_horizontal/vertical on a single (rank 3) image: unchanged or Keras's flipped values. */
  @Test
  void flipsASingleImage() {
    float[] x = {2, 3, 4, 5, 6, 7};
    float[] y = run(new RandomFlip("horizontal").seed(1), Shape.of(1, 2, 3), x, true);
    assertTrue(Arrays.equals(y, x) || Arrays.equals(y, new float[] {5, 6, 7, 2, 3, 4}), Arrays.toString(y));
    y = run(new RandomFlip("vertical").seed(1), Shape.of(2, 1, 3), x, true);
    assertTrue(Arrays.equals(y, x) || Arrays.equals(y, new float[] {5, 6, 7, 2, 3, 4}), Arrays.toString(y));
  }

  // ---- RandomRotation ------------------------------------------------------------------------------

  /** test_random_rotation_correctness: factor (0.5, 0.5) turns a 5x5 image by 180 degrees. */
  @Test
  void rotationByHalfATurn() {
    float[] y = run(new RandomRotation(0.5).factor(0.5, 0.5), Shape.of(1, 5, 5, 1), arange(25), true);
    float[] expected = new float[25];
    for (int i = 0; i < 25; i++) expected[i] = 24 - i;
    assertClose(expected, y, 1e-4f);
    float[] first = run(new RandomRotation(0.5).factor(0.5, 0.5).dataFormat("channels_first"), Shape.of(1, 1, 5, 5), arange(25), true);
    assertClose(expected, first, 1e-4f);
  }

  /** A turn of 30 degrees on a 6x5 two-channel image, every fill mode and interpolation, against the reference. */
  @Test
  void rotationByThirtyDegreesMatchesTheReference() {
    int h = 6, w = 5, c = 2;
    float[] x = random(4, h * w * c, 10);
    double turn = 30.0 / 360.0;
    float angle = (float) (turn * 360.0) * (float) (Math.PI / 180.0);
    double cos = Math.cos(angle), sin = Math.sin(angle);
    double cx = 0.5 * (w - 1), cy = 0.5 * (h - 1);
    double[] t = {cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos};
    for (String fill : Augmentation.FILL_MODES) {
      for (String interpolation : Augmentation.INTERPOLATIONS) {
        RandomRotation layer = new RandomRotation(0.1).factor(turn, turn).fillMode(fill)
            .interpolation(interpolation).fillValue(-1);
        float[] y = run(layer, Shape.of(1, h, w, c), x, true);
        assertClose(AffineReference.transform(x, 1, h, w, c, t, interpolation, fill, -1), y, 1e-3f);
      }
    }
  }

  // ---- RandomZoom ----------------------------------------------------------------------------------

  /** test_random_zoom_out_correctness. */
  @Test
  void zoomOut() {
    RandomZoom layer = new RandomZoom(0.5, 0.8).heightFactor(0.5, 0.5).widthFactor(0.8, 0.8)
        .interpolation("bilinear").fillMode("constant");
    float[] expected = {
      0, 0, 0, 0, 0, 0, 2.7f, 4.5f, 6.3f, 0, 0, 10.2f, 12.0f, 13.8f, 0, 0, 17.7f, 19.5f, 21.3f, 0, 0, 0, 0, 0, 0};
    assertClose(expected, run(layer, Shape.of(1, 5, 5, 1), arange(25), true), 1e-4f);
  }

  /** test_random_zoom_in_correctness. */
  @Test
  void zoomIn() {
    RandomZoom layer = new RandomZoom(0.5).heightFactor(-0.5, -0.5).widthFactor(-0.5, -0.5)
        .interpolation("bilinear").fillMode("constant");
    float[] expected = {
      6.0f, 6.5f, 7.0f, 7.5f, 8.0f, 8.5f, 9.0f, 9.5f, 10.0f, 10.5f, 11.0f, 11.5f, 12.0f, 12.5f, 13.0f,
      13.5f, 14.0f, 14.5f, 15.0f, 15.5f, 16.0f, 16.5f, 17.0f, 17.5f, 18.0f};
    assertClose(expected, run(layer, Shape.of(1, 5, 5, 1), arange(25), true), 1e-4f);
  }

  /** test_tf_data_compatibility's nearest zoom out, and the same zoom for both axes without a width factor. */
  @Test
  void zoomOutNearestAndOneFactorForBothAxes() {
    RandomZoom layer = new RandomZoom(0.5, 0.8).heightFactor(0.5, 0.5).widthFactor(0.8, 0.8)
        .interpolation("nearest").fillMode("constant");
    float[] expected = {0, 0, 0, 0, 0, 0, 5, 7, 9, 0, 0, 10, 12, 14, 0, 0, 20, 22, 24, 0, 0, 0, 0, 0, 0};
    assertClose(expected, run(layer, Shape.of(1, 5, 5, 1), arange(25), true), 0f);
    float[] x = random(5, 7 * 6, 1);
    double z = 1.3;
    double[] t = {z, 0, 2.5 * (1 - z), 0, z, 3 * (1 - z)};
    for (String fill : Augmentation.FILL_MODES) {
      float[] y = run(new RandomZoom(0.3).heightFactor(0.3, 0.3).fillMode(fill), Shape.of(1, 7, 6, 1), x, true);
      assertClose(AffineReference.transform(x, 1, 7, 6, 1, t, "bilinear", fill, 0), y, 1e-4f);
    }
  }

  // ---- RandomTranslation ---------------------------------------------------------------------------

  /** test_random_translation_{up,down}_numeric_{reflect,constant} and the asymmetric reflect case, both layouts. */
  @Test
  void translationKerasValues() {
    float[] x = arange(25);
    float[] upReflect = grid(new int[][] {{5, 6, 7, 8, 9}, {10, 11, 12, 13, 14}, {15, 16, 17, 18, 19}, {20, 21, 22, 23, 24}, {20, 21, 22, 23, 24}});
    float[] upConstant = grid(new int[][] {{5, 6, 7, 8, 9}, {10, 11, 12, 13, 14}, {15, 16, 17, 18, 19}, {20, 21, 22, 23, 24}, {0, 0, 0, 0, 0}});
    float[] downReflect = grid(new int[][] {{0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}, {10, 11, 12, 13, 14}, {15, 16, 17, 18, 19}});
    float[] downConstant = grid(new int[][] {{0, 0, 0, 0, 0}, {0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}, {10, 11, 12, 13, 14}, {15, 16, 17, 18, 19}});
    for (String format : new String[] {"channels_last", "channels_first"}) {
      Shape shape = format.equals("channels_last") ? Shape.of(1, 5, 5, 1) : Shape.of(1, 1, 5, 5);
      assertClose(upReflect, run(new RandomTranslation(0, 0).heightFactor(-0.2, -0.2).dataFormat(format), shape, x, true), 1e-4f);
      assertClose(upConstant, run(new RandomTranslation(0, 0).heightFactor(-0.2, -0.2).fillMode("constant").dataFormat(format), shape, x, true), 1e-4f);
      assertClose(downReflect, run(new RandomTranslation(0, 0).heightFactor(0.2, 0.2).dataFormat(format), shape, x, true), 1e-4f);
      assertClose(downConstant, run(new RandomTranslation(0, 0).heightFactor(0.2, 0.2).fillMode("constant").dataFormat(format), shape, x, true), 1e-4f);
      Shape tall = format.equals("channels_last") ? Shape.of(1, 8, 2, 1) : Shape.of(1, 1, 8, 2);
      float[] asymmetric = grid(new int[][] {{6, 7}, {4, 5}, {2, 3}, {0, 1}, {0, 1}, {2, 3}, {4, 5}, {6, 7}});
      assertClose(asymmetric, run(new RandomTranslation(0, 0).heightFactor(0.5, 0.5).dataFormat(format), tall, arange(16), true), 1e-4f);
    }
  }

  /** A fractional shift right and up, wrap and nearest fill, bilinear and nearest, against the reference. */
  @Test
  void translationMatchesTheReference() {
    int h = 5, w = 6;
    float[] x = random(6, h * w, 1);
    double dy = -0.3 * h, dx = 0.25 * w;
    double[] t = {1, 0, -dx, 0, 1, -dy};
    for (String fill : Augmentation.FILL_MODES) {
      for (String interpolation : Augmentation.INTERPOLATIONS) {
        RandomTranslation layer = new RandomTranslation(0, 0).heightFactor(-0.3, -0.3).widthFactor(0.25, 0.25)
            .fillMode(fill).interpolation(interpolation).fillValue(0.5);
        float[] y = run(layer, Shape.of(1, h, w, 1), x, true);
        assertClose(AffineReference.transform(x, 1, h, w, 1, t, interpolation, fill, 0.5f), y, 1e-4f);
      }
    }
  }

  // ---- RandomContrast, RandomBrightness ------------------------------------------------------------

  /**
   * test_random_contrast_with_value_range_*: (x - mean) * c + mean per image and channel, clipped,
   * with one c per image in [1 - lower, 1 + upper] (recovered from the output, as Keras's test
   * reads it from the transformation).
   */
  @Test
  void contrastFollowsKerasArithmetic() {
    int b = 12, h = 8, w = 16, c = 3;
    float[] x = random(9809, b * h * w * c, 1);
    float[] y = run(new RandomContrast(0.5).factor(0.3, 0.5).valueRange(-100, 100).seed(9809), Shape.of(b, h, w, c), x, true);
    for (int n = 0; n < b; n++) {
      double factor = Double.NaN;
      for (int k = 0; k < c; k++) {
        double mean = 0;
        for (int p = 0; p < h * w; p++) mean += x[(n * h * w + p) * c + k];
        mean /= h * w;
        int p0 = (n * h * w) * c + k;
        if (Double.isNaN(factor)) factor = (y[p0] - mean) / (x[p0] - mean);
        assertTrue(factor >= 0.7 - 1e-6 && factor <= 1.5 + 1e-6, "factor " + factor);
        for (int p = 0; p < h * w; p++) {
          int i = (n * h * w + p) * c + k;
          assertEquals((x[i] - mean) * factor + mean, y[i], 1e-4);
        }
      }
    }
    float[] clipped = run(new RandomContrast(1.0).factor(1, 1).valueRange(0, 1), Shape.of(1, 2, 2, 1), new float[] {0, 0, 1, 1}, true);
    for (float v : clipped) assertTrue(v >= 0 && v <= 1, Arrays.toString(clipped));
  }

  /** A fixed factor (0.5, 0.5) adds half the value range and clips, as Keras's transform_images. */
  @Test
  void brightnessAddsAFixedDeltaAndClips() {
    float[] x = {0, 100, 127.5f, 200, 255, 10};
    float[] y = run(new RandomBrightness(0.5).factor(0.5, 0.5), Shape.of(1, 2, 3, 1), x, true);
    assertArrayEquals(new float[] {127.5f, 227.5f, 255, 255, 255, 137.5f}, y);
    y = run(new RandomBrightness(0.5).factor(-0.25, -0.25).valueRange(0, 1), Shape.of(1, 1, 2, 1), new float[] {0.1f, 0.9f}, true);
    assertArrayEquals(new float[] {0f, 0.65f}, y, 1e-6f);
    float[] many = random(11, 16 * 4 * 4 * 1, 1);
    float[] shifted = run(new RandomBrightness(0.2).valueRange(-10, 10).seed(3), Shape.of(16, 4, 4, 1), many, true);
    for (int n = 0; n < 16; n++) {
      double delta = shifted[n * 16] - many[n * 16];
      assertTrue(Math.abs(delta) <= 0.2 * 20 + 1e-5, "delta " + delta);
      for (int p = 0; p < 16; p++) assertEquals(delta, shifted[n * 16 + p] - many[n * 16 + p], 1e-5);
    }
  }

  // ---- in a model --------------------------------------------------------------------------------

  /** Inside a model: predict is the identity, a training call augments, and fit trains through it. */
  @Test
  void inAModelAugmentationRunsOnlyInTraining() {
    float[] x = {0, 100, 200, 50};
    try (dev.tfkeras.models.Sequential model = new dev.tfkeras.models.Sequential(
        dev.tfkeras.layers.Input.of(2, 2, 1), new RandomBrightness(0.5).factor(0.5, 0.5))) {
      float[][] predicted = model.predict(new float[][][][] {{{{0}, {100}}, {{200}, {50}}}});
      assertArrayEquals(x, predicted[0]);
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, 2, 2, 1), DataBuffers.of(x, true, false));
          TFloat32 out = model.apply(in, true)) {
        assertArrayEquals(new float[] {127.5f, 227.5f, 255, 177.5f}, Tensors.read(out));
      }
    }
    GraphRuntime.reset();
    GraphRuntime.setRandomSeed(3);
    try (dev.tfkeras.models.Sequential model = new dev.tfkeras.models.Sequential(
        dev.tfkeras.layers.Input.of(4, 4, 1), new RandomFlip().seed(1), new RandomRotation(0.1).seed(2),
        new RandomZoom(0.1).seed(3), new RandomTranslation(0.1, 0.1).seed(4), new RandomContrast(0.2).seed(5),
        new dev.tfkeras.layers.Flatten(), new dev.tfkeras.layers.Dense(1))) {
      model.compile(new dev.tfkeras.optimizers.Adam(0.01), "mse");
      float[][][][] images = new float[16][4][4][1];
      float[] targets = new float[16];
      Random random = new Random(8);
      for (int n = 0; n < 16; n++) {
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) images[n][i][j][0] = random.nextFloat();
        targets[n] = n % 2;
      }
      var history = model.fit(images, targets, new dev.tfkeras.models.FitOptions().epochs(2).batchSize(8).verbose(0));
      assertEquals(2, history.history().get("loss").size());
      assertTrue(Double.isFinite(history.history().get("loss").get(1)));
    }
  }

  /** The README's example: an augmentation Sequential inside a convnet, trained a step and predicting. */
  @Test
  void readmeAugmentationModelTrains() {
    GraphRuntime.setRandomSeed(4);
    var augment = new dev.tfkeras.models.Sequential(new RandomFlip("horizontal"), new RandomRotation(0.1),
        new RandomZoom(0.2).fillMode("constant"), new RandomContrast(0.2));
    try (var model = new dev.tfkeras.models.Sequential(dev.tfkeras.layers.Input.of(64, 64, 3), augment,
        new dev.tfkeras.layers.Rescaling(1 / 255.0), new dev.tfkeras.layers.Conv2D(16, 3, "relu"),
        new dev.tfkeras.layers.GlobalAveragePooling2D(), new dev.tfkeras.layers.Dense(10))) {
      model.compile("adam", "sparse_categorical_crossentropy");
      float[][][][] images = new float[4][64][64][3];
      Random random = new Random(1);
      for (float[][][] image : images) for (float[][] row : image) for (float[] pixel : row)
        for (int k = 0; k < 3; k++) pixel[k] = random.nextInt(256);
      var history = model.fit(images, new int[] {0, 1, 2, 3}, new dev.tfkeras.models.FitOptions().epochs(1).verbose(0));
      assertTrue(Double.isFinite(history.history().get("loss").get(0)));
      float[][] first = model.predict(images);
      float[][] second = model.predict(images);
      assertEquals(10, first[0].length);
      assertTrue(Arrays.deepEquals(first, second), "no augmentation at inference");
    }
  }

  // ---- configs ---------------------------------------------------------------------------------

  /** getConfig has Keras's keys; fromConfig rebuilds an equal layer (same config after a JSON round trip). */
  @Test
  void configsRoundTripWithKerasKeys() {
    RandomRotation rotation = new RandomRotation(0.2).fillMode("constant").fillValue(0.5).interpolation("nearest").seed(4);
    // Keras's order: the base Layer's keys, the image base's data_format, then RandomRotation's own
    assertEquals("{\"name\":\"" + rotation.name() + "\",\"trainable\":true,\"dtype\":{\"module\":\"keras\","
        + "\"class_name\":\"DTypePolicy\",\"config\":{\"name\":\"float32\"},\"registered_name\":null},"
        + "\"data_format\":\"channels_last\",\"factor\":[-0.2,0.2],\"fill_mode\":\"constant\","
        + "\"fill_value\":0.5,\"interpolation\":\"nearest\",\"seed\":4}",
        rotation.getConfig().toJson());
    assertEquals(List.of("name", "trainable", "dtype", "data_format", "seed", "mode"),
        List.copyOf(new RandomFlip("vertical").getConfig().keys()));
    assertEquals(List.of("name", "trainable", "dtype", "data_format", "height_factor", "width_factor", "fill_mode",
        "interpolation", "seed", "fill_value"), List.copyOf(new RandomZoom(0.1).getConfig().keys()));
    assertEquals(List.of("name", "trainable", "dtype", "data_format", "height_factor", "width_factor", "fill_mode",
        "interpolation", "seed", "fill_value"), List.copyOf(new RandomTranslation(0.1, 0.1).getConfig().keys()));
    assertEquals(List.of("name", "trainable", "dtype", "data_format", "factor", "value_range", "seed"),
        List.copyOf(new RandomBrightness(0.1).getConfig().keys()));
    assertEquals(List.of("name", "trainable", "dtype", "data_format", "factor", "value_range", "seed"),
        List.copyOf(new RandomContrast(0.1).getConfig().keys()));
    // trainable is read back; a dtype tfkeras does not compute in is refused
    assertFalse(RandomFlip.fromConfig(new RandomFlip("vertical").getConfig().put("trainable", false)).isTrainable());
    assertThrows(IllegalArgumentException.class, () -> RandomFlip.fromConfig(new RandomFlip("vertical").getConfig()
        .put("dtype", "float16")));
    Layer[] layers = {
      new RandomFlip("vertical").seed(1).dataFormat("channels_first"), rotation,
      new RandomZoom(0.3).widthFactor(-0.2, 0.1).fillMode("wrap"), new RandomZoom(0.4),
      new RandomTranslation(0.1, 0.2).heightFactor(-0.3, 0.0).interpolation("nearest"),
      new RandomContrast(0.4).valueRange(0, 1).seed(9), new RandomBrightness(0.3).factor(-0.1, 0.4)
    };
    for (Layer layer : layers) {
      var config = ((dev.tfkeras.saving.Configurable) layer).getConfig();
      var read = dev.tfkeras.saving.Config.fromJson(config.toJson());
      Layer copy = layer instanceof RandomFlip ? RandomFlip.fromConfig(read)
          : layer instanceof RandomRotation ? RandomRotation.fromConfig(read)
          : layer instanceof RandomZoom ? RandomZoom.fromConfig(read)
          : layer instanceof RandomTranslation ? RandomTranslation.fromConfig(read)
          : layer instanceof RandomContrast ? RandomContrast.fromConfig(read)
          : RandomBrightness.fromConfig(read);
      assertEquals(config.toJson(), ((dev.tfkeras.saving.Configurable) copy).getConfig().toJson());
    }
    assertArrayEquals(new double[] {0, 0.4}, RandomContrast.fromConfig(
        dev.tfkeras.saving.Config.fromJson("{\"factor\":0.4}")).factor(), "Keras's single contrast factor");
  }

  // ---- errors --------------------------------------------------------------------------------------

  @Test
  void badArgumentsAreRefusedWithKerasMessages() {
    assertEquals("The `factor` argument should be a number (or a list of two numbers) in the range [-1, 1]. Received: factor=-1.1",
        assertThrows(IllegalArgumentException.class, () -> new RandomBrightness(-1.1)).getMessage());
    assertEquals("The `factor` argument should be a number (or a list of two numbers) in the range [0, 1]. Received: factor=1.5",
        assertThrows(IllegalArgumentException.class, () -> new RandomContrast(1.5)).getMessage());
    assertEquals("Unknown `fill_mode` mirror. Expected of one ('reflect', 'wrap', 'constant', 'nearest').",
        assertThrows(IllegalArgumentException.class, () -> new RandomRotation(0.1).fillMode("mirror")).getMessage());
    assertEquals("Unknown `interpolation` bicubic. Expected of one ('nearest', 'bilinear').",
        assertThrows(IllegalArgumentException.class, () -> new RandomZoom(0.1).interpolation("bicubic")).getMessage());
    assertEquals("The `height_factor` and `width_factor` arguments should be a number (or a list of two numbers)"
        + " in the range (-1.0, 1.0]. Received: input_number=-1.0",
        assertThrows(IllegalArgumentException.class, () -> new RandomZoom(-1.0)).getMessage());
    assertEquals("The `factor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]."
        + " Received: input_number=-1.1",
        assertThrows(IllegalArgumentException.class, () -> new RandomTranslation(-1.1, 0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RandomFlip("diagonal"));
    var e = assertThrows(IllegalArgumentException.class,
        () -> run(new RandomFlip(), Shape.of(2, 3), new float[6], true));
    assertTrue(e.getMessage().contains("Invalid images rank: expected rank 3 (single image) or rank 4"), e.getMessage());
  }
}
