package dev.tfkeras.demo;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.callbacks.History;
import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.summary.SummaryWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The notebook's custom training loop (cells 23-31), line for line. */
final class CustomLoop {

  private static final Logger LOG = LogManager.getLogger(CustomLoop.class);

  private CustomLoop() {}

  /**
   * Trains for {@code epochs}, or until an epoch's training loss is not finite (training
   * diverged); returns the last epoch's training loss. Each epoch's numbers go to {@code history}
   * as {@code fit} names them (loss, accuracy, val_loss, val_accuracy), for --plot; with a {@code
   * tensorboard} directory (or null), also to TensorBoard as TensorFlow's custom-loop tutorial
   * writes them: {@code loss} and {@code accuracy} per epoch in the runs {@code train} and {@code
   * test}.
   */
  static double train(
      Model model, Dataset trainDs, Dataset testDs, int epochs, float learningRate, PrintStream out,
      History history, Path tensorboard) {
    SummaryWriter trainWriter = tensorboard == null ? null : SummaryWriter.create(tensorboard.resolve("train"));
    try (trainWriter;
        SummaryWriter testWriter = tensorboard == null ? null : SummaryWriter.create(tensorboard.resolve("test"))) {
      return train(model, trainDs, testDs, epochs, learningRate, out, history, trainWriter, testWriter);
    }
  }

  private static double train(
      Model model, Dataset trainDs, Dataset testDs, int epochs, float learningRate, PrintStream out,
      History history, SummaryWriter trainWriter, SummaryWriter testWriter) {
    var lossObject = new SparseCategoricalCrossentropy(true);
    var optimizer = new Adam(learningRate);

    var trainLoss = new Mean("train_loss");
    var trainAccuracy = new SparseCategoricalAccuracy("train_accuracy");
    var testLoss = new Mean("test_loss");
    var testAccuracy = new SparseCategoricalAccuracy("test_accuracy");

    var trainStep =
        TfFunction.of(
                TFloat32.class,
                TInt32.class,
                (images, labels) -> {
                  var tape = new GradientTape();
                  Operand<TFloat32> predictions;
                  Operand<TFloat32> loss;
                  try (tape) {
                    predictions = model.apply(images, true);
                    loss = lossObject.call(labels, predictions);
                  }
                  var gradients = tape.gradient(loss, model.trainableVariables());
                  optimizer.applyGradients(gradients, model.trainableVariables());

                  trainLoss.update(loss);
                  trainAccuracy.update(labels, predictions);
                })
            .named("train_step");

    var testStep =
        TfFunction.of(
                TFloat32.class,
                TInt32.class,
                (images, labels) -> {
                  var predictions = model.apply(images, false);
                  var tLoss = lossObject.call(labels, predictions);

                  testLoss.update(tLoss);
                  testAccuracy.update(labels, predictions);
                })
            .named("test_step");

    double lastLoss = Double.NaN;
    for (int epoch = 0; epoch < epochs; epoch++) {
      trainLoss.resetState();
      trainAccuracy.resetState();
      testLoss.resetState();
      testAccuracy.resetState();

      long start = System.nanoTime();
      long steps = 0;
      for (Batch batch : trainDs) {
        try (batch) {
          trainStep.call(batch.features(), batch.labels());
        }
        if (steps++ == 0 && epoch == 0) {
          LOG.info(
              "first train step (traced) done {} ms after the JVM started",
              java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        }
      }
      double trainSeconds = (System.nanoTime() - start) / 1e9;

      for (Batch batch : testDs) {
        try (batch) {
          testStep.call(batch.features(), batch.labels());
        }
      }

      lastLoss = trainLoss.result();
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("loss", lastLoss);
      logs.put("accuracy", trainAccuracy.result());
      logs.put("val_loss", testLoss.result());
      logs.put("val_accuracy", testAccuracy.result());
      history.onEpochEnd(epoch, logs);
      if (trainWriter != null) {
        trainWriter.scalar("loss", lastLoss, epoch);
        trainWriter.scalar("accuracy", trainAccuracy.result(), epoch);
        testWriter.scalar("loss", testLoss.result(), epoch);
        testWriter.scalar("accuracy", testAccuracy.result(), epoch);
        trainWriter.flush();
        testWriter.flush();
      }
      out.println(
          EpochLine.format(
              epoch, lastLoss, trainAccuracy.result(), testLoss.result(), testAccuracy.result()));
      LOG.info(
          "epoch {}: {} train steps in {} s ({} ms/step), {} s with the test pass",
          epoch + 1,
          steps,
          String.format(Locale.ROOT, "%.1f", trainSeconds),
          String.format(Locale.ROOT, "%.1f", 1000 * trainSeconds / Math.max(1, steps)),
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
      if (!Double.isFinite(lastLoss)) {
        break;
      }
    }
    return lastLoss;
  }
}
