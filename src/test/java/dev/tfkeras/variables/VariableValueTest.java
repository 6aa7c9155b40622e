package dev.tfkeras.variables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.LayerConformance;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Param;
import dev.tfkeras.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class VariableValueTest {

  @Test
  void valueIsASnapshotThatLaterAssignmentsDoNotChange() {
    Param p = Param.vector(1f, 2f, 3f);
    var fn = TfFunction.returning(TFloat32.class, x -> p.apply(x));
    LayerConformance.call(fn, Shape.of(1), new float[1]); // builds the weight
    try (TFloat32 before = p.weight().value()) {
      p.assign(7f, 8f, 9f);
      try (TFloat32 after = p.weight().value()) {
        assertArrayEquals(new float[] {1f, 2f, 3f}, Tensors.read(before), "snapshot taken before the assign");
        assertArrayEquals(new float[] {7f, 8f, 9f}, Tensors.read(after));
      }
    }
  }
}
