package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.io.Npy;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.saving.WeightsArchive;
import dev.tfkeras.testing.FreshRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class SaveWeightsTest {

  static final SyntheticData TRAIN = new SyntheticData(96, 31); // 3 batches of 32
  static final SyntheticData SAMPLES = new SyntheticData(40, 32);

  @TempDir Path tmp;

  static FloatNdArray images(SyntheticData data) {
    return NdArrays.wrap(Shape.of(data.count, 8, 8, 1), DataBuffers.of(data.images, true, false));
  }

  /** Trains one epoch (so Adam has state), saves into {@code dir}; returns its predictions. */
  private float[][] trainAndSave(Path dir) throws IOException {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      model.fit(TRAIN.dataset().batch(32), 1, null, 0);
      model.saveWeights(dir);
      return model.predict(images(SAMPLES));
    }
  }

  @Test
  void loadingIntoANewInstanceGivesBitwiseIdenticalPredictions() throws IOException {
    Path dir = tmp.resolve("ckpt");
    float[][] expected = trainAndSave(dir);
    try (var restored = new TestModels.SmallCnn()) {
      restored.buildFor(TestModels.INPUT);
      float[][] fresh = restored.predict(images(SAMPLES));
      assertTrue(!java.util.Arrays.deepEquals(expected, fresh), "a fresh model predicts differently");
      restored.loadWeights(dir);
      float[][] actual = restored.predict(images(SAMPLES));
      assertEquals(SAMPLES.count, actual.length);
      assertTrue(java.util.Arrays.deepEquals(expected, actual), "bitwise equal predictions");
    }
  }

  private static final List<String> WEIGHT_KEYS =
      List.of("conv1/kernel", "conv1/bias", "d1/kernel", "d1/bias", "d2/kernel", "d2/bias");

  @Test
  void theFileIsAnNpzOfWeightsThenOptimizerState() throws IOException {
    Path dir = tmp.resolve("ckpt");
    trainAndSave(dir);
    Map<String, Npy.Array> arrays = WeightsArchive.read(dir.resolve("weights.npz"));
    List<String> expectedKeys = new ArrayList<>(WEIGHT_KEYS);
    expectedKeys.add("optimizer/adam/iterations");
    expectedKeys.add("optimizer/adam/learning_rate");
    for (String weight : WEIGHT_KEYS) {
      expectedKeys.add("optimizer/adam/" + weight + "/m");
      expectedKeys.add("optimizer/adam/" + weight + "/v");
    }
    assertEquals(expectedKeys, List.copyOf(arrays.keySet()), "keys in a stable order");

    assertEquals(Npy.DType.FLOAT32, arrays.get("conv1/kernel").type());
    assertArrayEquals(new long[] {3, 3, 1, 8}, arrays.get("conv1/kernel").shape());
    assertArrayEquals(new long[] {8}, arrays.get("conv1/bias").shape());
    assertArrayEquals(new long[] {288, 16}, arrays.get("d1/kernel").shape());
    assertArrayEquals(new long[] {16, 4}, arrays.get("d2/kernel").shape());
    assertArrayEquals(new long[] {16, 4}, arrays.get("optimizer/adam/d2/kernel/v").shape());

    Npy.Array iterations = arrays.get("optimizer/adam/iterations");
    assertEquals(Npy.DType.INT64, iterations.type());
    assertArrayEquals(new long[0], iterations.shape());
    assertEquals(3L, iterations.data().getLong(), "three steps");
    Npy.Array rate = arrays.get("optimizer/adam/learning_rate");
    assertEquals(Npy.DType.FLOAT32, rate.type());
    assertEquals(0.001f, rate.data().getFloat());
  }

  @Test
  void anUncompiledModelSavesOnlyItsWeights() throws IOException {
    try (var model = new TestModels.SmallCnn()) {
      model.buildFor(TestModels.INPUT);
      model.saveWeights(tmp);
      assertEquals(WEIGHT_KEYS, List.copyOf(WeightsArchive.read(tmp.resolve("weights.npz")).keySet()));
    }
  }

  /** Same layer names as SmallCnn except d2 -> head, built on three channels. */
  static class OtherCnn extends Model {
    final Conv2D conv1 = new Conv2D(8, 3, Activation.RELU);
    final Flatten flatten = new Flatten();
    final Dense d1 = new Dense(16, Activation.RELU);
    final Dense head = new Dense(4);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return head.apply(d1.apply(flatten.apply(conv1.apply(x))));
    }
  }

  @Test
  void aMismatchedModelListsEveryMismatchAndChangesNothing() throws IOException {
    Path dir = tmp.resolve("ckpt");
    trainAndSave(dir);
    try (var other = new OtherCnn()) {
      other.buildFor(Shape.of(-1, 8, 8, 3));
      TestModels.compile(other);
      List<float[]> before = TestModels.weights(other);
      var e = assertThrows(IllegalArgumentException.class, () -> other.loadWeights(dir));
      assertEquals(
          "Cannot load weights from " + dir.resolve("weights.npz") + " into model 'other_cnn': 5"
              + " mismatch(es), nothing was loaded:\n"
              + "  - conv1/kernel: the model expects float32 (3, 3, 3, 8), the file holds float32 (3, 3, 1, 8)\n"
              + "  - head/kernel: missing from the file (the model expects shape (16, 4))\n"
              + "  - head/bias: missing from the file (the model expects shape (4,))\n"
              + "  - d2/kernel: in the file but not in the model\n"
              + "  - d2/bias: in the file but not in the model",
          e.getMessage());
      assertTrue(TestModels.sameWeights(before, TestModels.weights(other)), "no weight changed");
      assertEquals(0, other.optimizer().iterations(), "no optimizer state restored");
    }
  }

  @Test
  void loadingNeedsABuiltModelAndAnExistingFile() {
    try (var model = new TestModels.SmallCnn()) {
      var e = assertThrows(IllegalStateException.class, () -> model.loadWeights(tmp));
      assertTrue(e.getMessage().startsWith("Model 'small_cnn' has not been built yet."), e.getMessage());
      model.buildFor(TestModels.INPUT);
      var missing = assertThrows(NoSuchFileException.class, () -> model.loadWeights(tmp.resolve("nothing")));
      assertEquals(tmp.resolve("nothing/weights.npz") + ": no weights archive there", missing.getMessage());
    }
  }

  private static List<String> partFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
    }
  }

  @Test
  void aWriteThatFailsMidwayLeavesThePreviousArchiveAndNoTemporaryFile() throws IOException {
    Path dir = tmp.resolve("ckpt");
    trainAndSave(dir);
    Path file = dir.resolve("weights.npz");
    byte[] previous = Files.readAllBytes(file);

    // An archive whose second array cannot be produced: the write stops after one entry.
    Npy.Array one = new Npy.Array(Npy.DType.FLOAT32, new long[] {1}, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN));
    Map<String, Npy.Array> failing = new AbstractMap<>() {
      @Override
      public Set<Entry<String, Npy.Array>> entrySet() {
        return new java.util.AbstractSet<>() {
          @Override
          public Iterator<Entry<String, Npy.Array>> iterator() {
            return new Iterator<>() {
              int i;

              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Entry<String, Npy.Array> next() {
                if (i++ == 0) {
                  return Map.entry("conv1/kernel", one);
                }
                throw new IllegalStateException("disk full (simulated)");
              }
            };
          }

          @Override
          public int size() {
            return 2;
          }
        };
      }
    };
    var e = assertThrows(IllegalStateException.class, () -> WeightsArchive.write(file, failing));
    assertEquals("disk full (simulated)", e.getMessage());
    assertArrayEquals(previous, Files.readAllBytes(file), "previous archive intact");
    assertEquals(List.of(), partFiles(dir));
    assertEquals(List.of("weights.npz"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void aSaveThatCannotReplaceTheTargetLeavesItAndNoTemporaryFile() throws IOException {
    Path dir = tmp.resolve("ckpt");
    Path blocker = dir.resolve("weights.npz");
    Files.createDirectories(blocker);
    Files.writeString(blocker.resolve("keep.txt"), "mine");
    try (var model = new TestModels.SmallCnn()) {
      model.buildFor(TestModels.INPUT);
      assertThrows(IOException.class, () -> model.saveWeights(dir));
    }
    assertEquals("mine", Files.readString(blocker.resolve("keep.txt")));
    assertEquals(List.of(), partFiles(dir));
  }

  @Test
  void saveWeightsOverwritesThePreviousSave() throws IOException {
    Path dir = tmp.resolve("ckpt");
    try (var model = new TestModels.SmallCnn()) {
      model.buildFor(TestModels.INPUT);
      TestModels.fill(model, 1f);
      model.saveWeights(dir);
      TestModels.fill(model, 2f);
      model.saveWeights(dir);
      TestModels.fill(model, 3f);
      model.loadWeights(dir);
      assertEquals(2f, TestModels.weights(model).get(0)[0]);
      assertEquals(List.of(), partFiles(dir));
    }
  }
}
