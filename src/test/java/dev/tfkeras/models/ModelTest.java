package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.demo.MyModel;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.LayerConformance;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

@ExtendWith(FreshRuntime.class)
class ModelTest {

  private static void build(Model model, Shape shape) {
    var fn = TfFunction.returning(TFloat32.class, x -> model.apply(x, false));
    LayerConformance.call(fn, shape, new float[(int) shape.size()]);
  }

  @Test
  void seedModelHasKerasParameterCountsAndReadableNames() {
    try (var model = new MyModel()) {
      build(model, Shape.of(1, 28, 28, 1));
      List<Layer> layers = model.layers(); // conv1, flatten, d1, d2
      assertEquals(320, layers.get(0).countParams());
      assertEquals(2_769_024, layers.get(2).countParams());
      assertEquals(1_290, layers.get(3).countParams());
      assertEquals(2_770_634, model.countParams());
      assertEquals(List.of("conv1", "flatten", "d1", "d2"), model.layers().stream().map(Layer::name).toList());
      assertEquals(
          List.of("conv1/kernel", "conv1/bias", "d1/kernel", "d1/bias", "d2/kernel", "d2/bias"),
          model.trainableVariables().stream().map(Variable::path).toList());
      assertEquals("my_model", model.name());
      assertEquals("(None, 10)", Layer.format(model.outputShape()));
    }
  }

  @Test
  void variablesBeforeTheFirstApplyExplainHowToBuild() {
    try (var model = new MyModel()) {
      var e = assertThrows(IllegalStateException.class, model::trainableVariables);
      assertEquals(
          "Model 'my_model' has not been built yet. Build it by calling buildFor(inputShape), e.g."
              + " model.buildFor(Shape.of(-1, 28, 28, 1)), or by running it on data (fit, predict, or"
              + " apply inside a TfFunction); a model called through call() directly is never built:"
              + " use apply().",
          e.getMessage());
    }
  }

  static class Block extends Model {
    final Dense d1 = new Dense(2);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return d1.apply(x);
    }
  }

  static class Outer extends Model {
    final Block block = new Block();
    final Dense head = new Dense(1);
    final List<Dense> extra = List.of(new Dense(2), new Dense(2));

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      for (Dense d : extra) {
        x = d.apply(x);
      }
      return head.apply(block.apply(x));
    }
  }

  @Test
  void nestedModelsAndUnnamedLayersGetStablePaths() {
    try (var model = new Outer()) {
      build(model, Shape.of(1, 3));
      assertEquals(
          List.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias",
              "block/d1/kernel", "block/d1/bias", "head/kernel", "head/bias"),
          model.variables().stream().map(Variable::path).toList());
    }
  }

  @Test
  void frozenLayersMoveToNonTrainableVariables() {
    try (var model = new MyModel()) {
      build(model, Shape.of(1, 28, 28, 1));
      model.layers().get(2).setTrainable(false); // d1
      assertEquals(List.of("conv1/kernel", "conv1/bias", "d2/kernel", "d2/bias"),
          model.trainableVariables().stream().map(Variable::path).toList());
      assertEquals(List.of("d1/kernel", "d1/bias"),
          model.nonTrainableVariables().stream().map(Variable::path).toList());
      model.setTrainable(false);
      assertTrue(model.trainableVariables().isEmpty());
    }
  }

  @Test
  void closingTheModelFreesItsRuntime() {
    var model = new MyModel();
    var fn = TfFunction.returning(TFloat32.class, x -> model.apply(x, false));
    LayerConformance.call(fn, Shape.of(1, 28, 28, 1), new float[784]);
    model.close();
    assertTrue(model.runtime().isClosed());
    var e = assertThrows(IllegalStateException.class,
        () -> LayerConformance.call(fn, Shape.of(1, 28, 28, 1), new float[784]));
    assertTrue(e.getMessage().startsWith("This runtime was closed"), e.getMessage());
    // A fresh function cannot use the closed model's layers in a new runtime either.
    var other = TfFunction.returning(TFloat32.class, x -> model.apply(x, false));
    e = assertThrows(IllegalStateException.class,
        () -> LayerConformance.call(other, Shape.of(1, 28, 28, 1), new float[784]));
    assertEquals(
        "Layer 'my_model' was built in another runtime, which is closed. Layers, models and the"
            + " functions that use them must share one runtime.",
        e.getMessage());
  }
}
