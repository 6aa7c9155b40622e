package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.datasets.Mnist;
import dev.tfkeras.layers.Input;
import dev.tfkeras.models.Model;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.MnistTestSet;
import io.jhdf.api.Dataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * A Keras 3.11.1 file written by Python Keras (src/test/resources/keras/README.md: source, license,
 * the accuracy its notebook printed), loaded with its compile state, and tfkeras's own save of it
 * compared with it part by part.
 */
@ExtendWith(FreshRuntime.class)
class RealKerasFileResourceTest {

  static final Path FILE = Path.of("src", "test", "resources", "keras", "mnist_dense_keras_3_11_1.keras");

  @TempDir Path dir;

  @Test
  void loadsCompiledWithTheOptimizerStateKerasSaved() throws Exception {
    try (KerasArchive archive = KerasArchive.open(FILE)) {
      assertEquals("3.11.1", archive.kerasVersion());
    }
    try (Model model = Model.load(FILE)) {
      assertEquals(List.of("flatten", "dense", "dense_1"), model.layers().stream().map(l -> l.name()).toList());
      assertEquals(101_770, model.countParams());
      Adam adam = (Adam) model.optimizer();
      assertEquals(18_750, adam.iterations(), "10 epochs of 1,875 steps");
      assertEquals(0.001f, adam.learningRate());
      assertEquals(0.9f, adam.beta1());
      assertEquals(List.of("accuracy"), model.compileConfig().orElseThrow().metrics().get(0).stream().map(m -> m.name()).toList());
      // tfkeras's save of the loaded model: the same config (but Keras's shared_object_id
      // bookkeeping) and the same datasets under the same paths, bit for bit
      Path again = dir.resolve("again.keras");
      model.save(again);
      try (KerasArchive theirs = KerasArchive.open(FILE); KerasArchive ours = KerasArchive.open(again)) {
        String theirConfig = theirs.config().toString().replaceAll(",\"shared_object_id\":\\d+", "");
        assertEquals(com.google.gson.JsonParser.parseString(theirConfig), ours.config());
        for (String path : List.of("layers/dense/vars", "layers/dense_1/vars", "optimizer/vars")) {
          List<Dataset> a = theirs.variables(path);
          List<Dataset> b = ours.variables(path);
          assertEquals(a.size(), b.size(), path);
          for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getJavaType(), b.get(i).getJavaType(), path + "/" + i);
            assertEquals(java.util.Arrays.toString(a.get(i).getDimensions()), java.util.Arrays.toString(b.get(i).getDimensions()), path + "/" + i);
            Object x = a.get(i).getDataFlat();
            Object y = b.get(i).getDataFlat();
            if (x instanceof float[] fx) {
              assertEquals(java.util.Arrays.toString(fx), java.util.Arrays.toString((float[]) y), path + "/" + i);
            } else {
              assertEquals(a.get(i).getData(), b.get(i).getData(), path + "/" + i);
            }
          }
        }
      }
    }
  }

  @Test
  void classifiesMnistAsItsNotebookPrinted() throws Exception {
    try (Model model = Model.load(FILE)) {
      int correct = MnistTestSet.correct(model);
      assertEquals(9812, correct, "the notebook's accuracy: 0.9812");
    }
  }
}
