package dev.tfkeras.callbacks;

import dev.tfkeras.layers.Dense;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.runtime.GraphRuntime;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.ndarray.Shape;

/**
 * A seeded training run for {@link BackupAndRestoreKillTest}, in its own JVM: trains a small MLP
 * with Adam for 5 epochs on fixed data, shuffled, with {@code BackupAndRestore(backupDir)}, then
 * writes the batches trained in this JVM, the optimizer's step count and the final weights (raw
 * float bits) to {@code out}.
 *
 * <p>Arguments: {@code backupDir out saveFreq} ({@code epoch} or a number of batches). With the
 * system property {@value #HALT_AT} set to {@code epoch:batch} (0-based), the JVM halts when that
 * batch begins, as {@code kill -9} would: no {@code finally}, no {@code onTrainEnd}.
 */
public final class BackupAndRestoreChild {

  static final String HALT_AT = "tfkeras.test.haltAt";
  static final int HALT_STATUS = 86;
  static final int EXAMPLES = 64;
  static final int BATCH_SIZE = 8;

  public static void main(String[] args) throws IOException {
    Path backupDir = Path.of(args[0]);
    Path out = Path.of(args[1]);
    GraphRuntime.setRandomSeed(1234);
    float[][] x = new float[EXAMPLES][4];
    float[][] y = new float[EXAMPLES][1];
    for (int i = 0; i < EXAMPLES; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = (float) Math.sin(i * 0.37 + j * 1.3);
      }
      y[i][0] = x[i][0] * 2f - x[i][1] * x[i][2] + 0.5f * x[i][3];
    }
    BackupAndRestore backup = new BackupAndRestore(backupDir);
    if (!args[2].equals("epoch")) {
      backup.saveFreq(Integer.parseInt(args[2]));
    }
    try (var model = new Sequential(new Dense(8, "relu"), new Dense(1))) {
      model.buildFor(Shape.of(-1, 4));
      model.compile("adam", "mse");
      int[] trained = {0};
      Callback counter = new Callback() {
        @Override
        public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
          trained[0]++;
        }
      };
      model.fit(x, y, new FitOptions().epochs(5).batchSize(BATCH_SIZE).verbose(0).callbacks(backup, halter(), counter));
      try (DataOutputStream data = new DataOutputStream(Files.newOutputStream(out))) {
        data.writeInt(trained[0]);
        data.writeLong(model.optimizer().iterations());
        for (float[] weight : TestModels.weights(model)) {
          for (float v : weight) {
            data.writeInt(Float.floatToRawIntBits(v));
          }
        }
      }
    }
  }

  /** Halts the JVM at the batch {@value #HALT_AT} names, if set. */
  private static Callback halter() {
    String at = System.getProperty(HALT_AT);
    int haltEpoch = at == null ? -1 : Integer.parseInt(at.split(":")[0]);
    int haltBatch = at == null ? -1 : Integer.parseInt(at.split(":")[1]);
    return new Callback() {
      private int epoch;

      @Override
      public void onEpochBegin(int epoch) {
        this.epoch = epoch;
      }

      @Override
      public void onTrainBatchBegin(int batch) {
        if (epoch == haltEpoch && batch == haltBatch) {
          Runtime.getRuntime().halt(HALT_STATUS);
        }
      }
    };
  }
}
