package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.runtime.GraphRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import dev.tfkeras.demo.MyModel;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class SummaryTest {

  @AfterEach
  void freshGraph() {
    GraphRuntime.reset();
  }

  static String summary(Model model) {
    var buffer = new ByteArrayOutputStream();
    model.summary(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static final String RULE = "_".repeat(65) + "\n";
  private static final String DOUBLE_RULE = "=".repeat(65) + "\n";
  private static final String HEADER = " Layer (type)                 Output Shape              Param #\n";

  @Test
  void seedModelSummaryIsTheKerasTable() {
    try (var model = new MyModel()) {
      model.buildFor(Shape.of(-1, 28, 28, 1));
      String expected =
          "Model: \"my_model\"\n"
              + RULE
              + HEADER
              + DOUBLE_RULE
              + " conv1 (Conv2D)               (None, 26, 26, 32)        320\n"
              + "\n"
              + " flatten (Flatten)            (None, 21632)             0\n"
              + "\n"
              + " d1 (Dense)                   (None, 128)               2,769,024\n"
              + "\n"
              + " d2 (Dense)                   (None, 10)                1,290\n"
              + DOUBLE_RULE
              + "Total params: 2,770,634 (10.57 MB)\n"
              + "Trainable params: 2,770,634 (10.57 MB)\n"
              + "Non-trainable params: 0 (0.00 B)\n"
              + RULE;
      assertEquals(expected, summary(model));
    }
  }

  @Test
  void frozenLayersCountAsNonTrainable() {
    try (var model = new MyModel()) {
      model.buildFor(Shape.of(-1, 28, 28, 1));
      model.layers().get(2).setTrainable(false); // d1
      String text = summary(model);
      String totals = text.substring(text.indexOf("Total params"));
      assertEquals(
          "Total params: 2,770,634 (10.57 MB)\n"
              + "Trainable params: 1,610 (6.29 KB)\n"
              + "Non-trainable params: 2,769,024 (10.56 MB)\n"
              + RULE,
          totals);
    }
  }

  @Test
  void sequentialSummaryUsesKerasLayerNames() {
    try (var model = new Sequential(new Conv2D(8, 3, Activation.RELU), new Flatten(), new Dense(16), new Dense(4))) {
      model.buildFor(TestModels.INPUT);
      String expected =
          "Model: \"sequential\"\n"
              + RULE
              + HEADER
              + DOUBLE_RULE
              + " conv2d (Conv2D)              (None, 6, 6, 8)           80\n"
              + "\n"
              + " flatten (Flatten)            (None, 288)               0\n"
              + "\n"
              + " dense (Dense)                (None, 16)                4,624\n"
              + "\n"
              + " dense_1 (Dense)              (None, 4)                 68\n"
              + DOUBLE_RULE
              + "Total params: 4,772 (18.64 KB)\n"
              + "Trainable params: 4,772 (18.64 KB)\n"
              + "Non-trainable params: 0 (0.00 B)\n"
              + RULE;
      assertEquals(expected, summary(model));
    }
  }

  @Test
  void summaryBeforeBuildSaysHowToBuild() {
    try (var model = new MyModel()) {
      var e = assertThrows(IllegalStateException.class, () -> summary(model));
      assertEquals(
          "Model 'my_model' has not been built yet. Build it by calling buildFor(inputShape), e.g."
              + " model.buildFor(Shape.of(-1, 28, 28, 1)), or by running it on data (fit, predict, or"
              + " apply inside a TfFunction); a model called through call() directly is never built:"
              + " use apply().",
          e.getMessage());
    }
  }

  @Test
  void readableSizesUseBinaryUnits() {
    assertEquals("0.00 B", Summary.bytes(0));
    assertEquals("1023.00 B", Summary.bytes(1023));
    assertEquals("1.00 KB", Summary.bytes(1024));
    assertEquals("10.57 MB", Summary.bytes(2_770_634L * 4));
    assertEquals("1.50 GB", Summary.bytes(3L << 29));
  }
}
