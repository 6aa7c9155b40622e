package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Reshape;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Layers and models called on concrete data outside a traced function, and predict's shapes. */
@ExtendWith(FreshRuntime.class)
class EagerCallTest {

  static final SyntheticData DATA = new SyntheticData(20, 4);

  static FloatNdArray images() {
    return NdArrays.wrap(Shape.of(DATA.count, 8, 8, 1), DataBuffers.of(DATA.images, true, false));
  }

  @Test
  void modelApplyOnAnNdArrayEqualsPredictBitwise() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      model.fit(DATA.dataset().batch(10), 1, null, 0);

      float[][] predicted = model.predict(images());
      float[] applied;
      try (TFloat32 out = model.apply(images())) {
        assertEquals(Shape.of(DATA.count, 4), out.shape());
        applied = Tensors.read(out);
      }
      for (int i = 0; i < DATA.count; i++) {
        for (int k = 0; k < 4; k++) {
          assertEquals(
              Float.floatToRawIntBits(predicted[i][k]), Float.floatToRawIntBits(applied[4 * i + k]),
              "example " + i + ", class " + k);
        }
      }
      FloatNdArray onBatch = model.predictOnBatch(images());
      assertEquals(Shape.of(DATA.count, 4), onBatch.shape());
      assertEquals(predicted[7][2], onBatch.getFloat(7, 2));
    }
  }

  @Test
  void aLoopOfEagerCallsTracesOnce() {
    try (var model = new TestModels.SmallCnn()) {
      for (int i = 0; i < 5; i++) {
        try (TFloat32 x = DATA.images(i, i + 2);
            TFloat32 out = model.apply(x)) { // a tensor is fed as it is
          assertEquals(Shape.of(2, 4), out.shape());
        }
      }
      assertEquals(1, model.predictFunction().traceCount(), "one signature, one trace");
      long before = GraphRuntime.current().sessionRuns();
      try (TFloat32 out = model.apply(images())) {
        assertEquals(Shape.of(DATA.count, 4), out.shape());
      }
      assertEquals(1, GraphRuntime.current().sessionRuns() - before, "one session run per call");
      assertEquals(1, model.predictFunction().traceCount(), "another batch size, the same trace");
    }
  }

  @Test
  void aLayerAloneIsBuiltByItsFirstEagerCall() {
    var dense = new Dense(2);
    float[][] x = {{1, 2, 3}, {-1, 0, 0.5f}};
    try (TFloat32 out = dense.apply(x)) {
      assertTrue(dense.isBuilt());
      assertEquals(Shape.of(2, 2), out.shape());
      List<FloatNdArray> weights = dense.getWeights();
      for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 2; k++) {
          double expected = weights.get(1).getFloat(k);
          for (int j = 0; j < 3; j++) {
            expected += x[i][j] * weights.get(0).getFloat(j, k);
          }
          assertEquals(expected, out.getFloat(i, k), 1e-5, "row " + i + ", unit " + k);
        }
      }
    }
    try (TFloat32 again = dense.apply(new float[][] {{0, 0, 0}})) {
      assertEquals(dense.getWeights().get(1).getFloat(1), again.getFloat(0, 1), "bias only");
    }
  }

  @Test
  void theTrainingFlagReachesAnEagerCall() {
    var dropout = new dev.tfkeras.layers.Dropout(0.5f, 7);
    float[][] ones = new float[4][50];
    for (float[] row : ones) {
      java.util.Arrays.fill(row, 1f);
    }
    try (TFloat32 inference = dropout.apply(ones);
        TFloat32 training = dropout.apply(ones, true)) {
      float[] kept = Tensors.read(inference);
      float[] dropped = Tensors.read(training);
      for (float v : kept) {
        assertEquals(1f, v, "inference passes everything");
      }
      int zeros = 0;
      for (float v : dropped) {
        assertTrue(v == 0f || v == 2f, "dropped, or scaled by 1 / (1 - rate): " + v);
        zeros += v == 0f ? 1 : 0;
      }
      assertTrue(zeros > 50 && zeros < 150, "about half of 200 dropped: " + zeros);
    }
  }

  @Test
  void concreteCallsThatCannotWorkSayWhatToWriteInstead() {
    try (var model = new TestModels.SmallCnn()) {
      // a tape outside a function: the error names the eager call to write instead
      var tape = assertThrows(IllegalStateException.class, GradientTape::new);
      assertTrue(tape.getMessage().contains("model.apply(xBatch)"), tape.getMessage());

      // an eager (not traced) operand given to apply(Operand)
      Operand<TFloat32> eager = Ops.create().constant(new float[][] {{1f}});
      var symbolic = assertThrows(IllegalStateException.class, () -> model.apply(eager));
      assertTrue(symbolic.getMessage().startsWith("No function is being traced."), symbolic.getMessage());
      assertTrue(symbolic.getMessage().contains("model.apply(xBatch)"), symbolic.getMessage());
      var asObject = assertThrows(IllegalArgumentException.class, () -> model.apply((Object) eager));
      assertTrue(asObject.getMessage().contains("received a symbolic Operand"), asObject.getMessage());

      // concrete data inside a traced function
      var inside =
          TfFunction.returning(TFloat32.class, x -> {
            model.apply((Object) new float[1][8][8][1]).close();
            return x;
          });
      try (TFloat32 x = DATA.images(0, 1)) {
        var e = assertThrows(IllegalStateException.class, () -> inside.call(x));
        assertTrue(e.getMessage().contains("inside a function call it on the function's symbolic arguments"), e.getMessage());
      }
    }
  }

  /** An output with axes of its own, (n, 2, 3). */
  static class Grid extends Model {
    final Dense dense = new Dense(6);
    final Reshape reshape = new Reshape(2, 3);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return reshape.apply(dense.apply(x));
    }
  }

  @Test
  void predictArrayKeepsTheOutputsShape() {
    float[][] x = new float[40][5];
    for (int i = 0; i < x.length; i++) {
      x[i][i % 5] = i;
    }
    try (var model = new Grid()) {
      FloatNdArray out = model.predictArray(x);
      assertEquals(Shape.of(40, 2, 3), out.shape(), "two internal batches, stacked");
      float[][] rows = model.predict(x);
      assertEquals(40, rows.length);
      assertEquals(rows[33][4], out.getFloat(33, 1, 1), "rows are the same values flattened");
      assertEquals(out.get(33), model.predictOnBatch(new float[][] {x[33]}).get(0));
    }
  }

  @Test
  void predictRunsAModelWithSeveralOutputsOncePerBatch() {
    KerasTensor input = Input.of(4);
    KerasTensor hidden = new Dense(8).apply(input);
    KerasTensor first = new Dense(3).apply(hidden);
    KerasTensor second = new Dense(1).apply(hidden);
    float[][] x = new float[70][4]; // batches of 32, 32, 6
    for (int i = 0; i < x.length; i++) {
      x[i][i % 4] = i / 10f;
    }
    try (Functional model = Model.of(List.of(input), List.of(first, second))) {
      model.predictOutputs(x); // traced
      long before = GraphRuntime.current().sessionRuns();
      List<float[][]> outputs = model.predictOutputs(x);
      assertEquals(3, GraphRuntime.current().sessionRuns() - before, "one run per batch for both outputs");
      assertEquals(70, outputs.get(0).length);
      assertEquals(3, outputs.get(0)[0].length);
      assertEquals(1, outputs.get(1)[69].length);
      List<FloatNdArray> arrays = model.predictArrays(x);
      assertEquals(List.of(Shape.of(70, 3), Shape.of(70, 1)), arrays.stream().map(FloatNdArray::shape).toList());
      assertArrayEquals(outputs.get(0)[50], new float[] {
          arrays.get(0).getFloat(50, 0), arrays.get(0).getFloat(50, 1), arrays.get(0).getFloat(50, 2)});
      var e = assertThrows(IllegalStateException.class, () -> model.predict(x));
      assertEquals(
          "Model '" + model.name() + "' has 2 outputs; this predict returns one. Use predictOutputs(x)"
              + " (rows per output) or predictArrays(x) (full shapes).",
          e.getMessage());
    }
  }
}
