package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.History;
import dev.tfkeras.constraints.MaxNorm;
import dev.tfkeras.initializers.Initializers;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.regularizers.L2;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.FreshRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The glue layers inside a subclassed model trained by fit, as a Keras user would combine them. */
@ExtendWith(FreshRuntime.class)
class GlueModelTest {

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

  /** The README's example, kept compiling and working here. */
  static class TwoBranches extends Model {
    final Dense wide = new Dense(64, Activation.RELU)
        .kernelInitializer(Initializers.get("he_normal"))
        .kernelRegularizer(new L2(1e-4f))
        .kernelConstraint(new MaxNorm(3f));
    final Dense deep = new Dense(64, Activation.GELU);
    final Concatenate concat = new Concatenate();
    final Dense out = new Dense(10);

    @Override
    protected Operand<TFloat32> call(Operand<TFloat32> x, boolean training) {
      return out.apply(concat.apply(List.of(wide.apply(x), deep.apply(x)), training));
    }
  }

  @Test
  void readmeExampleTrainsWithItsPenaltyAndConstraint() {
    try (TwoBranches model = new TwoBranches()) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      float[][] x = new float[64][20];
      int[] y = new int[64];
      Random random = new Random(5);
      for (int i = 0; i < 64; i++) {
        for (int j = 0; j < 20; j++) {
          x[i][j] = (float) random.nextGaussian();
        }
        y[i] = x[i][0] > 0 ? 1 : 0;
      }
      model.fit(x, y, new FitOptions().epochs(2).verbose(0));
      assertTrue(model.getWeights().size() == 6);
      float[] kernel = new float[20 * 64];
      model.wide.getWeights().get(0).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(kernel, false, false));
      for (int unit = 0; unit < 64; unit++) {
        double norm = 0;
        for (int i = 0; i < 20; i++) {
          norm += kernel[i * 64 + unit] * kernel[i * 64 + unit];
        }
        assertTrue(Math.sqrt(norm) <= 3 + 1e-5, "MaxNorm(3) holds");
      }
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
