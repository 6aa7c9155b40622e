package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Numeric;
import dev.tfkeras.testing.Tensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** predict over several internal batches: shapes, order and agreement between its overloads. */
@ExtendWith(FreshRuntime.class)
class PredictTest {

  static final SyntheticData DATA = new SyntheticData(70, 81); // batches of 32, 32, 6

  @Test
  void predictOverloadsAgreeRowByRowInOrder() {
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      model.fit(DATA.dataset().batch(35), 2, null, 0); // a model whose classes differ

      float[][] rows = model.predict(NdArrays.wrap(Shape.of(70, 8, 8, 1), DataBuffers.of(DATA.images, true, false)));
      assertEquals(70, rows.length);
      assertTrue(Arrays.stream(rows).allMatch(r -> r.length == 4), "(N, classes)");

      float[] flat;
      try (TFloat32 x = DATA.images(0, 70);
          TFloat32 y = model.predict(x)) {
        assertEquals(Shape.of(70, 4), y.shape());
        flat = Tensors.read(y);
      }
      for (int i = 0; i < 70; i++) {
        assertArrayEquals(rows[i], Arrays.copyOfRange(flat, 4 * i, 4 * i + 4), "row " + i);
      }

      // each row is that example's own prediction: order kept across internal batches
      for (int i : new int[] {0, 31, 32, 63, 64, 69}) {
        try (TFloat32 x = DATA.images(i, i + 1);
            TFloat32 y = model.predict(x)) {
          assertEquals(Shape.of(1, 4), y.shape());
          Numeric.assertClose(Numeric.toDoubles(Tensors.read(y)), rows[i], 1e-5, 1e-6, "row " + i);
        }
      }
      assertTrue(!Arrays.equals(rows[0], rows[1]), "rows differ, so a reordering would show");

      // a dataset batched differently gives the same rows
      float[][] fromDataset = model.predict(DATA.dataset().batch(9));
      assertEquals(70, fromDataset.length);
      for (int i = 0; i < 70; i++) {
        Numeric.assertClose(Numeric.toDoubles(rows[i]), fromDataset[i], 1e-5, 1e-6, "dataset row " + i);
      }
    }
  }

  @Test
  void predictNeedsABatchAxis() {
    try (var model = new TestModels.SmallCnn();
        TFloat32 scalar = TFloat32.scalarOf(1f)) {
      var e = assertThrows(IllegalArgumentException.class, () -> model.predict(scalar));
      assertEquals("predict needs inputs with a batch axis first, received a scalar of shape [].", e.getMessage());
    }
  }
}
