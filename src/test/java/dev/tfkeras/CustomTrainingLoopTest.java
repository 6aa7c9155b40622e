package dev.tfkeras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The seed notebook's subclassed model and custom loop, written against the public API. */
class CustomTrainingLoopTest {

  /** The seed model, cell 12 of the notebook. */
  static class MyModel extends Model {
    final Conv2D conv1 = new Conv2D(32, 3, Activation.RELU);
    final Flatten flatten = new Flatten();
    final Dense d1 = new Dense(128, Activation.RELU);
    final Dense d2 = new Dense(10);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      x = conv1.apply(x);
      x = flatten.apply(x);
      x = d1.apply(x);
      return d2.apply(x);
    }
  }

  @Test
  void customLoopTrainsTheSeedModelOnSyntheticData() {
    SyntheticData train = new SyntheticData(1024, 1);
    SyntheticData test = new SyntheticData(256, 2);
    try (var model = new MyModel()) {
      var lossObject = new SparseCategoricalCrossentropy(true);
      var optimizer = new Adam();
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
              });
      var testStep =
          TfFunction.of(
              TFloat32.class,
              TInt32.class,
              (images, labels) -> {
                var predictions = model.apply(images, false);
                testLoss.update(lossObject.call(labels, predictions));
                testAccuracy.update(labels, predictions);
              });

      for (int epoch = 0; epoch < 2; epoch++) {
        trainLoss.resetState();
        trainAccuracy.resetState();
        testLoss.resetState();
        testAccuracy.resetState();
        for (int from = 0; from < train.count; from += 32) {
          int to = Math.min(from + 32, train.count);
          try (TFloat32 x = train.images(from, to);
              TInt32 y = train.labels(from, to)) {
            trainStep.call(x, y);
          }
        }
        // 256 = 7 full batches of 32 and a last partial batch of 32... use 30 to get a partial one
        for (int from = 0; from < test.count; from += 30) {
          int to = Math.min(from + 30, test.count);
          try (TFloat32 x = test.images(from, to);
              TInt32 y = test.labels(from, to)) {
            testStep.call(x, y);
          }
        }
      }
      assertEquals(1, trainStep.traceCount(), "one signature, one trace");
      assertEquals(2 * 32, optimizer.iterations());
      assertEquals(List.of("conv1/kernel", "conv1/bias", "d1/kernel", "d1/bias", "d2/kernel", "d2/bias"),
          model.trainableVariables().stream().map(v -> v.path()).toList());
      assertTrue(trainLoss.result() < 0.2, "train loss " + trainLoss.result());
      assertTrue(testAccuracy.result() >= 0.95, "test accuracy " + testAccuracy.result());
      assertTrue(testLoss.result() > 0);
    }
  }
}
