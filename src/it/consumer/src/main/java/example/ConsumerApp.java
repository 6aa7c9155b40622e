package example;

import dev.tfkeras.callbacks.History;
import dev.tfkeras.callbacks.ModelCheckpoint;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Trains a small classifier on points made in code (class 1 above the line x2 = 0.5 x1), with
 * tfkeras as a plain dependency: prints the loss and accuracy of the first and last epochs and two
 * predictions, and exits with 1 if the loss did not fall. The checkpoint callback logs through the
 * application's own backend.
 */
public final class ConsumerApp {

  public static void main(String[] args) {
    Random random = new Random(42);
    int n = 512;
    float[][] x = new float[n][2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = random.nextFloat() * 2 - 1;
      x[i][1] = random.nextFloat() * 2 - 1;
      y[i] = x[i][1] > 0.5f * x[i][0] ? 1 : 0;
    }

    Path checkpoint = Path.of("target", "checkpoint");
    try (var model = new Sequential(new Dense(8, Activation.RELU), new Dense(1, Activation.SIGMOID))) {
      model.compile(new Adam(0.01f), "binary_crossentropy", "accuracy");
      History history = model.fit(x, y, new FitOptions().epochs(5).batchSize(32).verbose(0)
          .callbacks(new ModelCheckpoint(checkpoint, "loss", true)));
      List<Double> loss = history.get("loss");
      List<Double> accuracy = history.get("accuracy");
      float[][] predicted = model.predict(new float[][] {{0f, 0.8f}, {0f, -0.8f}});
      System.out.printf("loss %.3f -> %.3f, accuracy %.3f -> %.3f over %d epochs%n",
          loss.get(0), loss.get(loss.size() - 1),
          accuracy.get(0), accuracy.get(accuracy.size() - 1), loss.size());
      System.out.printf("P(class 1) at (0, 0.8): %.3f, at (0, -0.8): %.3f%n", predicted[0][0], predicted[1][0]);
      if (!(loss.get(loss.size() - 1) < loss.get(0))) {
        System.err.println("training did not reduce the loss: " + loss);
        System.exit(1);
      }
    }
  }
}
