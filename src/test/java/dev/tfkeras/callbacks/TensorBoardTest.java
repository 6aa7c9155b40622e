package dev.tfkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.summary.EventFiles;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.variables.Variable;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;

/**
 * The TensorBoard callback in real fits: Keras 3's runs, tags and steps, values equal to History's,
 * every record read back with both CRCs checked.
 */
@ExtendWith(FreshRuntime.class)
class TensorBoardTest {

  @TempDir Path tmp;

  private static Dataset train() {
    return FitCallbacksTest.TRAIN.dataset().batch(32); // 4 batches
  }

  private static Dataset validation() {
    return FitCallbacksTest.VALIDATION.dataset().batch(32);
  }

  @Test
  void epochValuesHistogramsImagesAndGraphAsKerasWritesThem() throws IOException {
    Path logs = tmp.resolve("logs");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      History history =
          model.fit(train(), 2, validation(), 0, new TensorBoard(logs).histogramFreq(1).writeImages(true));
      assertEquals(List.of("train", "validation"), list(logs));

      List<EventFiles.Value> train = EventFiles.values(logs.resolve("train"));
      for (int epoch = 0; epoch < 2; epoch++) {
        for (String key : List.of("loss", "accuracy")) {
          assertEquals(history.get(key).get(epoch).floatValue(), scalar(train, "epoch_" + key, epoch), key);
        }
        assertEquals(model.optimizer().learningRate(), scalar(train, "epoch_learning_rate", epoch));
      }
      // histograms and images of every weight of every layer, tagged by the weight's path
      List<String> expected = new ArrayList<>();
      long weightCount = 0;
      for (Layer layer : model.layers()) {
        for (Variable<TFloat32> w : layer.weights()) {
          expected.add(model.name() + "/" + w.path() + "/histogram");
          weightCount += w.size();
        }
      }
      assertTrue(expected.contains("small_cnn/conv1/kernel/histogram"), expected.toString());
      for (int epoch = 0; epoch < 2; epoch++) {
        int e = epoch;
        List<EventFiles.Value> histograms =
            train.stream().filter(v -> v.step() == e && v.plugin().equals("histograms")).toList();
        assertEquals(expected, histograms.stream().map(EventFiles.Value::tag).toList());
        double counted = 0;
        for (EventFiles.Value h : histograms) {
          TensorProto t = h.value().getTensor();
          assertEquals(30, t.getTensorShape().getDim(0).getSize(), h.tag());
          ByteBuffer rows = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < 30; i++) {
            rows.getDouble();
            rows.getDouble();
            counted += rows.getDouble();
          }
        }
        assertEquals(weightCount, counted, "bucket counts sum to the weight count");
      }
      List<EventFiles.Value> images = train.stream().filter(v -> v.plugin().equals("images")).toList();
      assertTrue(images.stream().anyMatch(v -> v.tag().equals("small_cnn/d1/kernel/image")), images.stream().map(EventFiles.Value::tag).toList().toString());
      for (EventFiles.Value image : images) {
        TensorProto t = image.value().getTensor();
        for (int i = 2; i < t.getStringValCount(); i++) {
          BufferedImage png = ImageIO.read(new ByteArrayInputStream(t.getStringVal(i).toByteArray()));
          assertNotNull(png, image.tag());
          assertEquals(Integer.parseInt(t.getStringVal(0).toStringUtf8()), png.getWidth());
        }
      }
      // the graph, once, after the first batch
      List<Event> graphs =
          EventFiles.readDir(logs.resolve("train")).stream().filter(e -> !e.getGraphDef().isEmpty()).toList();
      assertEquals(1, graphs.size());
      assertTrue(GraphDef.parseFrom(graphs.get(0).getGraphDef()).getNodeCount() > 10);

      List<EventFiles.Value> val = EventFiles.values(logs.resolve("validation"));
      for (int epoch = 0; epoch < 2; epoch++) {
        for (String key : List.of("loss", "accuracy")) {
          assertEquals(history.get("val_" + key).get(epoch).floatValue(), scalar(val, "epoch_" + key, epoch), key);
          // after each validation, at the optimizer's iterations (4 batches per epoch)
          assertEquals(
              history.get("val_" + key).get(epoch).floatValue(),
              scalar(val, "evaluation_" + key + "_vs_iterations", 4L * (epoch + 1)));
        }
      }
      assertEquals(
          List.of("evaluation_loss_vs_iterations", "evaluation_accuracy_vs_iterations", "epoch_loss", "epoch_accuracy"),
          val.stream().filter(v -> v.step() == 0 || v.step() == 4).map(EventFiles.Value::tag).toList());
    }
  }

  @Test
  void batchValuesEveryNBatchesAcrossEpochs() throws IOException {
    Path logs = tmp.resolve("logs");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      List<Double> batchLosses = new ArrayList<>();
      Callback recorder =
          new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
              batchLosses.add(logs.get("loss"));
            }
          };
      model.fit(train(), 2, null, 0, recorder, new TensorBoard(logs).updateFreq(3).writeGraph(false).writeStepsPerSecond(true));
      assertEquals(List.of("train"), list(logs));
      List<EventFiles.Value> train = EventFiles.values(logs.resolve("train"));
      // global batches 1..8, written at 3 and 6
      assertEquals(List.of(3L, 6L), steps(train, "batch_loss"));
      assertEquals(batchLosses.get(2).floatValue(), scalar(train, "batch_loss", 3));
      assertEquals(batchLosses.get(5).floatValue(), scalar(train, "batch_loss", 6));
      assertEquals(List.of(3L, 6L), steps(train, "batch_accuracy"));
      assertEquals(List.of(3L, 6L), steps(train, "batch_steps_per_second"));
      assertEquals(List.of(0L, 1L), steps(train, "epoch_steps_per_second"));
      assertTrue(scalar(train, "epoch_steps_per_second", 0) > 0);
      assertTrue(EventFiles.readDir(logs.resolve("train")).stream().allMatch(e -> e.getGraphDef().isEmpty()));
    }
  }

  @Test
  void evaluateAndPredictCallTheirHooksAndEvaluateWritesItsValues() throws IOException {
    Path logs = tmp.resolve("logs");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      model.fit(train(), 1, null, 0);
      List<String> events = new ArrayList<>();
      Callback recorder =
          new Callback() {
            @Override
            public void onTestBegin() {
              events.add("testBegin");
            }

            @Override
            public void onTestBatchBegin(int batch) {
              events.add("testBatchBegin " + batch);
            }

            @Override
            public void onTestBatchEnd(int batch, Map<String, Double> logs) {
              events.add("testBatchEnd " + batch + " " + logs.keySet());
            }

            @Override
            public void onTestEnd(Map<String, Double> logs) {
              events.add("testEnd " + logs.keySet());
            }

            @Override
            public void onPredictBegin() {
              events.add("predictBegin " + (model() != null));
            }

            @Override
            public void onPredictBatchBegin(int batch) {
              events.add("predictBatchBegin " + batch);
            }

            @Override
            public void onPredictBatchEnd(int batch, List<TFloat32> outputs) {
              events.add("predictBatchEnd " + batch + " " + outputs.get(0).shape());
            }

            @Override
            public void onPredictEnd() {
              events.add("predictEnd");
            }
          };
      Map<String, Double> scores = model.evaluate(validation(), recorder, new TensorBoard(logs));
      assertEquals(
          List.of("testBegin", "testBatchBegin 0", "testBatchEnd 0 [loss, accuracy]", "testBatchBegin 1",
              "testBatchEnd 1 [loss, accuracy]", "testEnd [loss, accuracy]"),
          events);
      List<EventFiles.Value> val = EventFiles.values(logs.resolve("validation"));
      assertEquals(List.of("evaluation_loss_vs_iterations", "evaluation_accuracy_vs_iterations"), val.stream().map(EventFiles.Value::tag).toList());
      assertEquals(List.of(4L, 4L), val.stream().map(EventFiles.Value::step).toList());
      assertEquals(scores.get("loss").floatValue(), val.get(0).scalar());

      events.clear();
      float[][] predictions = model.predict(validation(), recorder);
      assertEquals(64, predictions.length);
      assertEquals(
          List.of("predictBegin true", "predictBatchBegin 0", "predictBatchEnd 0 [32, 4]", "predictBatchBegin 1",
              "predictBatchEnd 1 [32, 4]", "predictEnd"),
          events);
    }
  }

  @Test
  void aFitThatFailsKeepsTheFinishedEpochsReadable() throws IOException {
    Path logs = tmp.resolve("logs");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      Callback failing =
          new Callback() {
            @Override
            public void onEpochBegin(int epoch) {
              if (epoch == 2) {
                throw new IllegalStateException("disk on fire");
              }
            }
          };
      var e =
          assertThrows(
              IllegalStateException.class,
              () -> model.fit(train(), 5, validation(), 0, new TensorBoard(logs), failing));
      assertEquals("disk on fire", e.getMessage());
      // the writers were closed by onTrainEnd on failure: every record whole, epochs 0 and 1 there
      assertEquals(List.of(0L, 1L), steps(EventFiles.values(logs.resolve("train")), "epoch_loss"));
      assertEquals(List.of(0L, 1L), steps(EventFiles.values(logs.resolve("validation")), "epoch_loss"));
    }
  }

  @Test
  void optionsRefuseWhatKerasRefuses() {
    var freq = assertThrows(IllegalArgumentException.class, () -> new TensorBoard().updateFreq("step"));
    assertEquals(
        "Received an invalid value for `update_freq`, expected \"epoch\", \"batch\" or a positive"
            + " number of batches. Received: update_freq='step'",
        freq.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TensorBoard().updateFreq(0));
    var histogram = assertThrows(IllegalArgumentException.class, () -> new TensorBoard().histogramFreq(-1));
    assertEquals(
        "Received an invalid value for `histogram_freq`, expected a non-negative integer (0 disables"
            + " histograms). Received: histogram_freq=-1",
        histogram.getMessage());
    assertEquals(Path.of("logs"), new TensorBoard().logDir());
  }

  @Test
  void weightsAsImagesAsKerasReshapesThem() {
    var bias = TensorBoard.asImage(NdArrays.ofFloats(Shape.of(5)));
    assertEquals(Shape.of(1, 5, 1, 1), bias.shape());
    var tall = NdArrays.ofFloats(Shape.of(3, 2));
    tall.setFloat(7f, 2, 1);
    var kernel = TensorBoard.asImage(tall); // transposed: the longer axis across
    assertEquals(Shape.of(1, 2, 3, 1), kernel.shape());
    assertEquals(7f, kernel.getFloat(0, 1, 2, 0));
    var conv = NdArrays.ofFloats(Shape.of(3, 3, 1, 8)); // squeezed to (3, 3, 8): 8 images
    conv.setFloat(5f, 1, 2, 0, 6);
    var images = TensorBoard.asImage(conv);
    assertEquals(Shape.of(8, 3, 3, 1), images.shape());
    assertEquals(5f, images.getFloat(6, 1, 2, 0));
    assertEquals(null, TensorBoard.asImage(NdArrays.ofFloats(Shape.of(3, 3, 2, 8))));
  }

  private static float scalar(List<EventFiles.Value> values, String tag, long step) {
    List<EventFiles.Value> found = values.stream().filter(v -> v.tag().equals(tag) && v.step() == step).toList();
    assertEquals(1, found.size(), tag + " at step " + step + " in " + values.stream().map(v -> v.tag() + "@" + v.step()).toList());
    return found.get(0).scalar();
  }

  private static List<Long> steps(List<EventFiles.Value> values, String tag) {
    return values.stream().filter(v -> v.tag().equals(tag)).map(EventFiles.Value::step).toList();
  }

  private static List<String> list(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void sequentialAndFunctionalModelsWriteTheirJsonConfigAsKerasDoes() throws IOException {
    Path logs = tmp.resolve("keras");
    float[][] x = {{0, 1}, {1, 0}, {1, 1}, {0, 0}};
    float[] y = {1, 1, 0, 0};
    try (var model = new dev.tfkeras.models.Sequential(
        dev.tfkeras.layers.Input.of(2), new dev.tfkeras.layers.Dense(4, "relu"), new dev.tfkeras.layers.Dense(1))) {
      model.compile("adam", "mse");
      model.fit(x, y, new dev.tfkeras.models.FitOptions().epochs(1).verbose(0).callbacks(new TensorBoard(logs)));
      List<EventFiles.Value> keras =
          EventFiles.values(logs.resolve("train")).stream().filter(v -> v.tag().equals("keras")).toList();
      assertEquals(1, keras.size());
      assertEquals(0, keras.get(0).step());
      assertEquals("graph_keras_model", keras.get(0).plugin());
      assertEquals("1", keras.get(0).value().getMetadata().getPluginData().getContent().toStringUtf8());
      assertEquals(model.toJson(), keras.get(0).value().getTensor().getStringVal(0).toStringUtf8());
    }
    // Keras writes it for Sequential and Functional models only, not for subclassed ones
    Path subclassed = tmp.resolve("subclassed");
    try (var model = new TestModels.SmallCnn()) {
      TestModels.compile(model);
      model.fit(train(), 1, validation(), 0, new TensorBoard(subclassed));
      assertTrue(EventFiles.values(subclassed.resolve("train")).stream().noneMatch(v -> v.tag().equals("keras")));
    }
  }
}
