package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.models.Model;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.MnistTestSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * A legacy .h5 full model written by tf.keras (Keras 2.2.4-tf) in KotlinDL's repository
 * (src/test/resources/keras/README.md: source, license, the accuracy its notebook printed).
 */
@ExtendWith(FreshRuntime.class)
class RealLegacyH5ResourceTest {

  static final Path FILE = Path.of("src", "test", "resources", "keras", "mnist_dense_tf_keras_2_2_4.h5");

  @Test
  void loadsCompiledWithAdamsStateAfterFiveEpochs() throws Exception {
    try (Model model = Model.load(FILE)) {
      assertEquals("sequential_3", model.name());
      assertEquals(List.of("flatten_3", "dense_6", "dense_7"), model.layers().stream().map(l -> l.name()).toList());
      assertEquals(101_770, model.countParams());
      Adam adam = (Adam) model.optimizer();
      assertEquals(9_375, adam.iterations(), "5 epochs of 1,875 steps (optimizer_weights/Adam/iter:0)");
      assertEquals(0.001f, adam.learningRate());
      assertEquals(0.999f, adam.beta2());
      assertEquals(List.of("accuracy"), model.compileConfig().orElseThrow().metrics().get(0).stream().map(m -> m.name()).toList());
      // the first Adam slot of the last bias, restored by its name Adam/dense_7/bias/m:0
      String path = adam.name() + "/" + model.trainableVariables().get(3).path() + "/m";
      try (TType m = adam.restoredValue(path).orElseThrow()) {
        assertEquals(org.tensorflow.ndarray.Shape.of(10), m.shape());
        assertEquals(true, ((TFloat32) m).getFloat(0) != 0f, "a trained first moment");
      }
    }
  }

  @Test
  void classifiesMnistsTestSet() throws Exception {
    try (Model model = Model.load(FILE)) {
      int correct = MnistTestSet.correct(model);
      // The notebook's 0.9751 is another run's (its SavedModel's weights differ from this file's):
      // the reference here is the same network computed by hand from the file's datasets.
      assertEquals(referenceCorrect(Mnist.loadData()), correct);
      assertEquals(9719, correct);
    }
  }

  /** Flatten → relu(x·W6 + b6) → x·W7 + b7, argmax, in plain Java from the HDF5 datasets. */
  private static int referenceCorrect(Mnist.Data data) throws Exception {
    try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(FILE)) {
      float[][] w6 = (float[][]) h5.getDatasetByPath("model_weights/dense_6/dense_6/kernel:0").getData();
      float[] b6 = (float[]) h5.getDatasetByPath("model_weights/dense_6/dense_6/bias:0").getData();
      float[][] w7 = (float[][]) h5.getDatasetByPath("model_weights/dense_7/dense_7/kernel:0").getData();
      float[] b7 = (float[]) h5.getDatasetByPath("model_weights/dense_7/dense_7/bias:0").getData();
      int correct = 0;
      long n = data.xTest().shape().get(0);
      float[] x = new float[784];
      for (int i = 0; i < n; i++) {
        for (int r = 0; r < 28; r++) {
          for (int c = 0; c < 28; c++) {
            x[r * 28 + c] = data.xTest().getFloat(i, r, c, 0);
          }
        }
        float[] h = b6.clone();
        for (int k = 0; k < 784; k++) {
          if (x[k] != 0) {
            for (int j = 0; j < h.length; j++) {
              h[j] += x[k] * w6[k][j];
            }
          }
        }
        float[] out = b7.clone();
        for (int k = 0; k < h.length; k++) {
          float v = Math.max(h[k], 0);
          for (int j = 0; j < 10; j++) {
            out[j] += v * w7[k][j];
          }
        }
        int best = 0;
        for (int k = 1; k < 10; k++) {
          if (out[k] > out[best]) {
            best = k;
          }
        }
        correct += best == data.yTest().getInt(i) ? 1 : 0;
      }
      return correct;
    }
  }
}
