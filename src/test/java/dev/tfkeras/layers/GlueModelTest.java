package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.History;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.regularizers.L2;
import dev.tfkeras.runtime.GraphRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The glue layers inside a subclassed model trained by fit, as a Keras user would combine them. */
class GlueModelTest {

  @AfterEach
  void freshGraph() {
    GraphRuntime.reset();
  }

  /** Two branches over a (6,) input reshaped to (2, 3), concatenated, with a residual Add. */
  static class Branches extends Model {
    final Reshape reshape = new Reshape(2, 3);
    final Permute permute = new Permute(2, 1);
    final Flatten flatten = new Flatten();
    final Dense left = new Dense(8, Activation.TANH).kernelRegularizer(new L2(1e-4f));
    final Dense right = new Dense(8, Activation.GELU);
    final Concatenate concatenate = new Concatenate();
    final Dense mix = new Dense(8);
    final Add add = new Add();
    final Activation relu = new Activation("relu");
    final Dense out = new Dense(1);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      Operand<TFloat32> swapped = flatten.apply(permute.apply(reshape.apply(x)));
      Operand<TFloat32> joined = concatenate.apply(List.of(left.apply(x), right.apply(swapped)), training);
      Operand<TFloat32> hidden = mix.apply(joined);
      return out.apply(relu.apply(add.apply(List.of(hidden, left.apply(x)), training)));
    }
  }

  @Test
  void aModelMadeOfGlueLayersTrainsAndSummarizes() {
    Random random = new Random(3);
    int n = 256;
    float[][] x = new float[n][6];
    float[][] y = new float[n][1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 6; j++) {
        x[i][j] = (float) random.nextGaussian();
      }
      y[i][0] = x[i][0] * x[i][4] - 0.5f * x[i][2] + (float) Math.sin(x[i][5]);
    }
    GraphRuntime.setRandomSeed(11);
    try (Branches model = new Branches()) {
      model.compile(new Adam(0.01f), "mse");
      History history = model.fit(x, y, new FitOptions().epochs(30).batchSize(32).verbose(0));
      List<Double> loss = history.get("loss");
      assertTrue(loss.get(loss.size() - 1) < 0.3 * loss.get(0), "loss " + loss.get(0) + " -> " + loss.get(loss.size() - 1));
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      model.summary(new PrintStream(text, true, StandardCharsets.UTF_8));
      String summary = text.toString(StandardCharsets.UTF_8);
      for (String row : List.of("reshape (Reshape)", "(None, 2, 3)", "permute (Permute)", "(None, 3, 2)",
          "concatenate (Concatenate)", "(None, 16)", "add (Add)", "relu (Activation)")) {
        assertTrue(summary.contains(row), "summary shows " + row + ":\n" + summary);
      }
    }
  }
}
