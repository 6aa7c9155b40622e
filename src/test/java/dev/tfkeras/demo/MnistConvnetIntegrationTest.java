package dev.tfkeras.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.History;
import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.utils.Utils;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's {@code mnist_convnet} example on the real MNIST, written as its Keras users write it:
 * one-hot targets from {@code toCategorical}, {@code compile("adam", "categorical_crossentropy",
 * "accuracy")}, {@code fit(x, y)} with batch 128 and a 0.1 validation split. Two epochs must reach
 * 98% test accuracy (about a minute on two cores).
 */
@ExtendWith(FreshRuntime.class)
class MnistConvnetIntegrationTest {

  @Test
  void kerasMnistConvnetReachesNinetyEightPercentInTwoEpochs() throws Exception {
    GraphRuntime.setRandomSeed(1);
    Mnist.Data data = Mnist.loadData();
    FloatNdArray yTrain = Utils.toCategorical(data.yTrain(), 10);
    FloatNdArray yTest = Utils.toCategorical(data.yTest(), 10);
    try (var model =
        new Sequential(
            new Conv2D(32, 3, Activation.RELU),
            new MaxPooling2D(2),
            new Conv2D(64, 3, Activation.RELU),
            new MaxPooling2D(2),
            new Flatten(),
            new Dropout(0.5f),
            new Dense(10, Activation.SOFTMAX))) {
      model.compile("adam", "categorical_crossentropy", "accuracy");
      History history =
          model.fit(
              data.xTrain(), yTrain, new FitOptions().batchSize(128).epochs(2).validationSplit(0.1).verbose(2));
      assertEquals(2, history.get("val_accuracy").size());
      assertTrue(history.get("val_accuracy").get(1) > 0.98, "validation accuracy " + history.get("val_accuracy"));
      Map<String, Double> score = model.evaluate(data.xTest(), yTest);
      System.out.println("mnist_convnet test loss / accuracy after 2 epochs: " + score);
      assertTrue(score.get("accuracy") >= 0.98, "test accuracy " + score);
    }
  }
}
