package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TString;

/** Strings as a dataset dtype: Java arrays, TString tensors and object ndarrays become TString batches; the text layers read them. */
class StringColumnsTest {

  private static List<String> strings(TString tensor) {
    List<String> out = new ArrayList<>();
    for (NdArray<String> s : tensor.scalars()) {
      out.add(s.getObject());
    }
    return out;
  }

  @Test
  void javaStringArraysBatchAsTStringWithTheirShape() {
    Dataset data = Dataset.fromTensorSlices(new String[][] {{"a b"}, {"ç"}, {""}}, new float[] {1, 0, 1}).batch(2);
    assertEquals(
        "(TensorSpec(shape=(None, 1), dtype=string), TensorSpec(shape=(None,), dtype=float32))",
        data.elementSpec());
    List<List<String>> batches = new ArrayList<>();
    for (Batch batch : data) {
      try (batch) {
        TString x = (TString) batch.features();
        assertEquals(Shape.of(batch.size(), 1), x.shape());
        batches.add(strings(x));
      }
    }
    assertEquals(List.of(List.of("a b", "ç"), List.of("")), batches);
  }

  @Test
  void tensorsAndObjectNdArraysOfStringsAreColumns() {
    try (TString tensor = TString.tensorOf(NdArrays.vectorOfObjects("x", "y", "z"))) {
      Dataset fromTensor = Dataset.fromTensorSlices(tensor).batch(3);
      for (Batch batch : fromTensor) {
        try (batch) {
          assertEquals(List.of("x", "y", "z"), strings((TString) batch.features()));
        }
      }
    }
    Dataset fromNdArray = Dataset.fromTensorSlices(NdArrays.vectorOfObjects("p", "q")).batch(2);
    for (Batch batch : fromNdArray) {
      try (batch) {
        assertEquals(List.of("p", "q"), strings((TString) batch.features()));
      }
    }
  }

  @Test
  void stringTargetsAreRefusedWhereNumbersAreRead() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ArrayAdapter.targets(new String[] {"cat", "dog"}));
    assertTrue(e.getMessage().contains("a string value has no numeric value: \"cat\""), e.getMessage());
  }
}
