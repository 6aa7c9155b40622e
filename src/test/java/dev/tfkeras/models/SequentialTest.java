package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.SyntheticData;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;

@ExtendWith(FreshRuntime.class)
class SequentialTest {

  static final SyntheticData TRAIN = new SyntheticData(512, 71);
  static final SyntheticData TEST = new SyntheticData(128, 72);

  static Sequential seedLike() {
    return new Sequential(
        new Conv2D(8, 3, Activation.RELU), new Flatten(), new Dense(16, Activation.RELU), new Dense(4));
  }

  @Test
  void layersAreNamedAfterTheirClassAsInKeras() {
    try (var model = seedLike()) {
      model.buildFor(TestModels.INPUT);
      assertEquals("sequential", model.name());
      assertEquals(List.of("conv2d", "flatten", "dense", "dense_1"), model.layers().stream().map(Layer::name).toList());
      assertEquals(
          List.of("conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"),
          model.variables().stream().map(Variable::path).toList());
      assertEquals("(None, 4)", Layer.format(model.outputShape()));
    }
  }

  @Test
  void fitTrainsIt() {
    try (var model = seedLike()) {
      TestModels.compile(model);
      History history = model.fit(TRAIN.dataset().shuffle(512, 3).batch(32), 3, TEST.dataset().batch(32), 0);
      List<Double> loss = history.get("loss");
      assertTrue(loss.get(2) < loss.get(0), loss.toString());
      assertTrue(history.get("val_accuracy").get(2) >= 0.9, history.toString());
    }
  }

  @Test
  void layersCannotBeAddedAfterBuild() {
    try (var model = seedLike()) {
      model.buildFor(TestModels.INPUT);
      var e = assertThrows(IllegalStateException.class, () -> model.add(new Dense(2)));
      assertEquals(
          "Cannot add layers to Sequential model 'sequential' after it was built; add every layer"
              + " before the first fit, predict, buildFor or apply.",
          e.getMessage());
      assertEquals(4, model.layers().size());
    }
  }

  @Test
  void anEmptySequentialSaysSoAndCanStillBeFilled() {
    try (var model = new Sequential()) {
      var e = assertThrows(IllegalStateException.class, () -> model.buildFor(Shape.of(-1, 3)));
      assertEquals("Sequential model 'sequential' has no layers; add some first.", e.getMessage());
      model.add(new Dense(2));
      model.buildFor(Shape.of(-1, 3));
      assertEquals(List.of("dense/kernel", "dense/bias"), model.variables().stream().map(Variable::path).toList());
    }
  }

  @Test
  void theSameLayerInstanceCannotBeAddedTwice() {
    var dense = new Dense(4);
    var e = assertThrows(IllegalArgumentException.class, () -> new Sequential(dense, dense));
    assertEquals(
        "Layer Dense[dense] is already in this Sequential model; create a new instance to repeat it.",
        e.getMessage());
    var model = new Sequential(new Flatten());
    model.add(dense);
    assertThrows(IllegalArgumentException.class, () -> model.add(dense));
    assertEquals("layer", assertThrows(NullPointerException.class, () -> model.add((Layer) null)).getMessage());
  }
}
