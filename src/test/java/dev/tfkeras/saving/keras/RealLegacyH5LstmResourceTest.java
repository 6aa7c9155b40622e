package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A legacy .h5 LSTM forecaster written by Keras 3.10.0 (TensorFlow 2.20) with its legacy HDF5
 * writer, MIT-licensed (src/test/resources/keras/README.md): its stock data is not here, so its
 * predictions are checked against the same network computed in plain Java from the file's datasets.
 */
@ExtendWith(FreshRuntime.class)
class RealLegacyH5LstmResourceTest {

  static final Path FILE = Path.of("src", "test", "resources", "keras", "stock_lstm_keras_3_10_0.h5");

  @Test
  void loadsCompiledWithAdamsStateInKeras3sOrder() throws Exception {
    try (Model model = Model.load(FILE)) {
      assertEquals(List.of("lstm", "dropout", "lstm_1", "dropout_1", "dense", "dense_1"),
          model.layers().stream().map(l -> l.name()).toList());
      Adam adam = (Adam) model.optimizer();
      assertEquals(3_050, adam.iterations(), "50 epochs of 61 steps, as the notebook printed");
      assertEquals(0.001f, adam.learningRate());
      assertEquals("mean_squared_error", model.compileConfig().orElseThrow().losses().get(0).name());
      // adam/sequential_dense_1_bias_velocity, the last of Keras 3's variables, restored in place
      String path = adam.name() + "/" + model.trainableVariables().get(model.trainableVariables().size() - 1).path() + "/v";
      try (HdfFile h5 = new HdfFile(FILE);
          org.tensorflow.types.family.TType v = adam.restoredValue(path).orElseThrow()) {
        float[] saved = (float[]) h5.getDatasetByPath("optimizer_weights/adam/sequential_dense_1_bias_velocity").getData();
        assertEquals(saved[0], ((org.tensorflow.types.TFloat32) v).getFloat(0));
      }
    }
  }

  @Test
  void forecastsAsTheNetworkComputedByHand() throws Exception {
    float[][][] x = new float[3][60][5];
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 60; t++) {
        for (int f = 0; f < 5; f++) {
          x[b][t][f] = (float) (0.5 + 0.4 * Math.sin(0.1 * t + f + b));
        }
      }
    }
    try (Model model = Model.load(FILE)) {
      float[][] y = model.predict(x);
      for (int b = 0; b < 3; b++) {
        assertArrayEquals(reference(x[b]), y[b], 1e-5f, "window " + b);
      }
    }
  }

  /** LSTM(50, sequences) → LSTM(50) → Dense(32, relu) → Dense(1); dropout is off in inference. */
  private static float[] reference(float[][] x) throws Exception {
    try (HdfFile h5 = new HdfFile(FILE)) {
      String w = "model_weights/";
      float[][] seq = lstm(h5, w + "lstm/sequential/lstm/lstm_cell/", x);
      float[][] last = lstm(h5, w + "lstm_1/sequential/lstm_1/lstm_cell/", seq);
      float[] h = dense(h5, w + "dense/sequential/dense/", last[last.length - 1], true);
      return dense(h5, w + "dense_1/sequential/dense_1/", h, false);
    }
  }

  private static float[][] lstm(HdfFile h5, String path, float[][] x) {
    float[][] kernel = (float[][]) h5.getDatasetByPath(path + "kernel").getData();
    float[][] recurrent = (float[][]) h5.getDatasetByPath(path + "recurrent_kernel").getData();
    float[] bias = (float[]) h5.getDatasetByPath(path + "bias").getData();
    int units = recurrent.length;
    double[] h = new double[units];
    double[] c = new double[units];
    float[][] out = new float[x.length][units];
    for (int t = 0; t < x.length; t++) {
      double[] z = new double[4 * units];
      for (int j = 0; j < z.length; j++) {
        double s = bias[j];
        for (int k = 0; k < x[t].length; k++) {
          s += x[t][k] * kernel[k][j];
        }
        for (int k = 0; k < units; k++) {
          s += h[k] * recurrent[k][j];
        }
        z[j] = s;
      }
      for (int u = 0; u < units; u++) {
        c[u] = sigmoid(z[units + u]) * c[u] + sigmoid(z[u]) * Math.tanh(z[2 * units + u]);
        h[u] = sigmoid(z[3 * units + u]) * Math.tanh(c[u]);
        out[t][u] = (float) h[u];
      }
    }
    return out;
  }

  private static float[] dense(HdfFile h5, String path, float[] x, boolean relu) {
    float[][] kernel = (float[][]) h5.getDatasetByPath(path + "kernel").getData();
    float[] bias = (float[]) h5.getDatasetByPath(path + "bias").getData();
    float[] out = new float[bias.length];
    for (int j = 0; j < out.length; j++) {
      double s = bias[j];
      for (int k = 0; k < x.length; k++) {
        s += x[k] * kernel[k][j];
      }
      out[j] = (float) (relu ? Math.max(s, 0) : s);
    }
    return out;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
