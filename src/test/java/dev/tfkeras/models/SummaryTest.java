package dev.tfkeras.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.demo.MyModel;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.utils.Utils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;

/** Keras 3's summary table, checked against the tables Keras prints (80-column fallback width). */
@ExtendWith(FreshRuntime.class)
class SummaryTest {

  static String summary(Model model) {
    var buffer = new ByteArrayOutputStream();
    model.summary(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static final String TOP = "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n";
  private static final String HEADER = "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n";
  private static final String HEAD_RULE = "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n";
  private static final String ROW_RULE = "├─────────────────────────────────┼────────────────────────┼───────────────┤\n";
  private static final String BOTTOM = "└─────────────────────────────────┴────────────────────────┴───────────────┘\n";

  private static Sequential mnistConvnet() {
    return new Sequential(
        new Conv2D(32, 3, Activation.RELU),
        new MaxPooling2D(2),
        new Conv2D(64, 3, Activation.RELU),
        new MaxPooling2D(2),
        new Flatten(),
        new Dropout(0.5f),
        new Dense(10, Activation.SOFTMAX));
  }

  /** The table keras.io prints for the mnist_convnet example, character for character. */
  @Test
  void mnistConvnetSummaryIsKerasTable() {
    try (var model = mnistConvnet()) {
      model.buildFor(Shape.of(-1, 28, 28, 1));
      String expected =
          "Model: \"sequential\"\n"
              + TOP
              + HEADER
              + HEAD_RULE
              + "│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │\n"
              + ROW_RULE
              + "│ max_pooling2d (MaxPooling2D)    │ (None, 13, 13, 32)     │             0 │\n"
              + ROW_RULE
              + "│ conv2d_1 (Conv2D)               │ (None, 11, 11, 64)     │        18,496 │\n"
              + ROW_RULE
              + "│ max_pooling2d_1 (MaxPooling2D)  │ (None, 5, 5, 64)       │             0 │\n"
              + ROW_RULE
              + "│ flatten (Flatten)               │ (None, 1600)           │             0 │\n"
              + ROW_RULE
              + "│ dropout (Dropout)               │ (None, 1600)           │             0 │\n"
              + ROW_RULE
              + "│ dense (Dense)                   │ (None, 10)             │        16,010 │\n"
              + BOTTOM
              + " Total params: 34,826 (136.04 KB)\n"
              + " Trainable params: 34,826 (136.04 KB)\n"
              + " Non-trainable params: 0 (0.00 B)\n";
      assertEquals(expected, summary(model));
    }
  }

  @Test
  void seedModelSummaryNamesLayersAfterTheirFields() {
    try (var model = new MyModel()) {
      model.buildFor(Shape.of(-1, 28, 28, 1));
      String expected =
          "Model: \"my_model\"\n"
              + TOP
              + HEADER
              + HEAD_RULE
              + "│ conv1 (Conv2D)                  │ (None, 26, 26, 32)     │           320 │\n"
              + ROW_RULE
              + "│ flatten (Flatten)               │ (None, 21632)          │             0 │\n"
              + ROW_RULE
              + "│ d1 (Dense)                      │ (None, 128)            │     2,769,024 │\n"
              + ROW_RULE
              + "│ d2 (Dense)                      │ (None, 10)             │         1,290 │\n"
              + BOTTOM
              + " Total params: 2,770,634 (10.57 MB)\n"
              + " Trainable params: 2,770,634 (10.57 MB)\n"
              + " Non-trainable params: 0 (0.00 B)\n";
      assertEquals(expected, summary(model));
    }
  }

  @Test
  void optimizerParamsAppearOnceTheOptimizerHasState() {
    try (var model = mnistConvnet()) {
      model.compile("adam", "categorical_crossentropy", "accuracy");
      model.buildFor(Shape.of(-1, 28, 28, 1));
      assertTrue(!summary(model).contains("Optimizer params"), "not before training");
      model.fit(new float[4][28][28][1], Utils.toCategorical(new int[] {1, 2, 3, 4}, 10), new FitOptions().verbose(0));
      String text = summary(model);
      // Adam: iterations (int64) and learning rate, then one m and one v per weight
      assertEquals(
          " Total params: 104,480 (408.13 KB)\n"
              + " Trainable params: 34,826 (136.04 KB)\n"
              + " Non-trainable params: 0 (0.00 B)\n"
              + " Optimizer params: 69,654 (272.09 KB)\n",
          text.substring(text.indexOf(" Total params")));
    }
  }

  @Test
  void frozenLayersCountAsNonTrainable() {
    try (var model = new MyModel()) {
      model.buildFor(Shape.of(-1, 28, 28, 1));
      model.layers().get(2).setTrainable(false); // d1
      String text = summary(model);
      assertEquals(
          " Total params: 2,770,634 (10.57 MB)\n"
              + " Trainable params: 1,610 (6.29 KB)\n"
              + " Non-trainable params: 2,769,024 (10.56 MB)\n",
          text.substring(text.indexOf(" Total params")));
    }
  }

  @Test
  void unbuiltModelsShowQuestionMarksAndUnbuiltCounts() {
    try (var model = new MyModel()) {
      String expected =
          "Model: \"my_model\"\n"
              + TOP
              + HEADER
              + HEAD_RULE
              + "│ conv1 (Conv2D)                  │ ?                      │   0 (unbuilt) │\n"
              + ROW_RULE
              + "│ flatten (Flatten)               │ ?                      │   0 (unbuilt) │\n"
              + ROW_RULE
              + "│ d1 (Dense)                      │ ?                      │   0 (unbuilt) │\n"
              + ROW_RULE
              + "│ d2 (Dense)                      │ ?                      │   0 (unbuilt) │\n"
              + BOTTOM
              + " Total params: 0 (0.00 B)\n"
              + " Trainable params: 0 (0.00 B)\n"
              + " Non-trainable params: 0 (0.00 B)\n";
      assertEquals(expected, summary(model));
    }
  }

  @Test
  void longCellsWrapOntoFurtherLinesAsRichDoes() {
    assertEquals(List.of("embedding", "(Embedding)"), SummaryTable.wrap("embedding (Embedding)", 17));
    assertEquals(List.of("a_very_long_layer", "_name (Dense)"), SummaryTable.wrap("a_very_long_layer_name (Dense)", 17));
    var table =
        new SummaryTable(76, new double[] {0.3, 0.56, 0.74, 1.0},
            new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"},
            new boolean[] {false, false, true, false});
    table.addRow("embedding (Embedding)", "(None, None, 64)", "640,000", "title[0][0]");
    assertEquals(
        "┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓\n"
            + "┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃\n"
            + "┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩\n"
            + "│ embedding           │ (None, None, 64)  │    640,000 │ title[0][0]       │\n"
            + "│ (Embedding)         │                   │            │                   │\n"
            + "└─────────────────────┴───────────────────┴────────────┴───────────────────┘\n",
        table.render());
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
