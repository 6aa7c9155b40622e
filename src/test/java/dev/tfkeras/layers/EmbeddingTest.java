package dev.tfkeras.layers;

import static dev.tfkeras.testing.Numeric.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

@ExtendWith(FreshRuntime.class)
class EmbeddingTest {

  // 5 tokens of 2 values: row v = (10 v, 10 v + 1)
  private static final float[] TABLE = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41};

  private static Embedding table() {
    return new Embedding(5, 2).embeddingsInitializer(Constant.values(TABLE));
  }

  private static float[] lookup(Embedding embedding, TType ids) {
    var fn = TfFunction.returningAny(args -> embedding.apply(args.get(0), false));
    try (TFloat32 out = fn.call(ids)) {
      long[] expected = ids.shape().append(embedding.outputDim()).asArray();
      expected[0] = ids.shape().get(0);
      assertEquals(Shape.of(expected), out.shape());
      return Tensors.read(out);
    }
  }

  private static float[] rows(int... ids) {
    float[] out = new float[ids.length * 2];
    for (int i = 0; i < ids.length; i++) {
      int v = ids[i] < 0 ? ids[i] + 5 : ids[i];
      out[2 * i] = TABLE[2 * v];
      out[2 * i + 1] = TABLE[2 * v + 1];
    }
    return out;
  }

  @Test
  void looksUpRowsForIdsOfEveryIntegerDtypeAndRank() {
    int[] ids = {0, 3, 4, 1, 1, 2};
    try (TInt32 int32 = Tensors.ints(ids, 2, 3)) {
      Embedding embedding = table();
      assertArrayEquals(rows(ids), lookup(embedding, int32));
      assertEquals(List.of("embedding/embeddings"), embedding.variables().stream().map(v -> v.path()).toList());
      assertEquals(10, embedding.countParams());
      assertEquals("(None, 3, 2)", Layer.format(embedding.outputShape()));
    }
    try (TInt64 int64 = Tensors.longs(new long[] {0, 3, 4, 1, 1, 2}, 3, 2)) {
      assertArrayEquals(rows(ids), lookup(table(), int64));
    }
    try (TFloat32 floats = Tensors.floats(new float[] {0, 3, 4, 1, 1, 2}, 6)) {
      assertArrayEquals(rows(ids), lookup(table(), floats), "float ids are cast, as a Sequential model feeds them");
    }
    try (TUint8 bytes = Tensors.bytes(ids, 1, 2, 3)) {
      assertArrayEquals(rows(ids), lookup(table(), bytes));
    }
  }

  @Test
  void negativeIdsCountFromTheEndAsKerasTake() {
    try (TInt32 ids = Tensors.ints(new int[] {-1, -5, 2}, 1, 3)) {
      assertArrayEquals(rows(4, 0, 2), lookup(table(), ids));
    }
  }

  @Test
  void idsBeyondTheVocabularyFailTheLookup() {
    try (TInt32 ids = Tensors.ints(new int[] {1, 5}, 1, 2)) {
      var e = assertThrows(RuntimeException.class, () -> lookup(table(), ids));
      assertTrue(e.getMessage().contains("5 is not in [0, 5)"), e.getMessage());
    }
  }

  @Test
  void maskZeroMarksThePaddingForTheNextLayers() {
    MaskProbe probe = new MaskProbe();
    Embedding embedding = table().maskZero(true);
    var fn = TfFunction.returningAny(args -> probe.apply(embedding.apply(args.get(0), false), false));
    try (TInt32 ids = Tensors.ints(new int[] {3, 1, 0, 0, 2, 0, 4, 0}, 2, 4);
        TFloat32 mask = fn.call(ids)) {
      assertEquals(Shape.of(2, 4), mask.shape());
      assertArrayEquals(new float[] {1, 1, 0, 0, 1, 0, 1, 0}, Tensors.read(mask));
    }
    GraphRuntime.reset();
    MaskProbe none = new MaskProbe();
    Embedding plain = table();
    var unmasked = TfFunction.returningAny(args -> none.apply(plain.apply(args.get(0), false), false));
    try (TInt32 ids = Tensors.ints(new int[] {3, 0}, 1, 2);
        TFloat32 mask = unmasked.call(ids)) {
      assertArrayEquals(new float[] {-1}, Tensors.read(mask), "no mask without maskZero");
    }
  }

  @Test
  void defaultEmbeddingsAreUniformInPlusMinusFiveHundredths() {
    Embedding embedding = new Embedding(300, 40);
    try (TInt32 ids = Tensors.ints(new int[] {1}, 1)) {
      lookup(embedding, ids);
    }
    try (TFloat32 w = embedding.variables().get(0).value()) {
      float[] values = Tensors.read(w);
      double sumSq = 0;
      for (float v : values) {
        assertTrue(v >= -0.05f && v < 0.05f, "value " + v);
        sumSq += v * (double) v;
      }
      assertEquals(0.1 * 0.1 / 12, sumSq / values.length, 0.05 * 0.1 * 0.1 / 12, "variance of U[-0.05, 0.05)");
    }
  }

  @Test
  void gradientAddsUpTheOutputGradientsOfEveryOccurrence() {
    // objective Σ r ⊙ embedding(ids): d/d row v = Σ of r over the positions holding id v
    int[] ids = {2, 0, 2, 4, 2, 1};
    float[] r = SequenceRunner.random(3, ids.length * 2, 1);
    Embedding embedding = table();
    var fn =
        TfFunction.returningAny(
            args -> {
              var tf = TfFunction.ops();
              var tape = new GradientTape();
              org.tensorflow.Operand<TFloat32> value;
              try (tape) {
                var out = embedding.apply(args.get(0), true);
                value = tf.reduceSum(tf.math.mul(out, tf.constant(Shape.of(2, 3, 2), org.tensorflow.ndarray.buffer.DataBuffers.of(r, true, false))), tf.constant(new int[] {0, 1, 2}));
              }
              return tape.gradient(value, embedding.trainableVariables()).get(0);
            });
    double[] expected = new double[10];
    for (int p = 0; p < ids.length; p++) {
      expected[2 * ids[p]] += r[2 * p];
      expected[2 * ids[p] + 1] += r[2 * p + 1];
    }
    try (TInt32 in = Tensors.ints(ids, 2, 3);
        TFloat32 g = fn.call(in)) {
      assertClose(expected, Tensors.read(g), 1e-6, 1e-6, "gradient of the embeddings");
    }
  }

  @Test
  void refusesNonPositiveSizes() {
    assertEquals(
        "`input_dim` must be a positive integer. Received: input_dim=0 (of type int).",
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 4)).getMessage());
    assertEquals(
        "`output_dim` must be a positive integer. Received: output_dim=-2 (of type int).",
        assertThrows(IllegalArgumentException.class, () -> new Embedding(4, -2)).getMessage());
  }
}
