package dev.tfkeras.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.testing.FreshRuntime;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What tfkeras writes, read back with a second reader (java.util.zip, Gson and jHDF's reader, not
 * tfkeras's) and compared with Keras 3's layout: members, metadata, each layer's config keys (as
 * Keras 3.11's get_config returns them), weight paths, shapes and dtypes, the optimizer's variables.
 * The files are left in {@code target/keras-files/} for {@code .ci/check_keras_file.py} (h5py).
 */
@ExtendWith(FreshRuntime.class)
class KerasLayoutTest {

  static final Path OUT = Path.of("target", "keras-files");

  /** Keras 3.11's get_config() keys (layer.py base: name, trainable, dtype; then the layer's own). */
  static final List<String> BASE = List.of("name", "trainable", "dtype");
  static final List<String> CONV2D = List.of("filters", "kernel_size", "strides", "padding", "data_format",
      "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer",
      "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");
  static final List<String> POOLING = List.of("pool_size", "padding", "strides", "data_format");
  static final List<String> DENSE = List.of("units", "activation", "use_bias", "kernel_initializer",
      "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint");

  private static Set<String> keys(List<String> own) {
    Set<String> out = new TreeSet<>(BASE);
    out.addAll(own);
    return out;
  }

  @Test
  void writtenFileHasKerasLayout() throws Exception {
    Files.createDirectories(OUT);
    Path file = OUT.resolve("convnet.keras");
    Path weightsFile = OUT.resolve("convnet.weights.h5");
    try (Sequential model = new Sequential(Input.of(6, 6, 1), new Conv2D(2, 3, "relu"), new MaxPooling2D(2),
        new Flatten(), new Dropout(0.5), new Dense(3, "softmax"))) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      model.fit(new float[4][6][6][1], new int[] {0, 1, 2, 1}, new FitOptions().epochs(1).verbose(0));
      model.save(file);
      model.saveWeights(weightsFile);
    }
    List<String> members = new ArrayList<>();
    JsonObject config;
    byte[] h5;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Collections.list(zip.entries()).forEach(e -> members.add(e.getName()));
      JsonObject metadata = json(zip, "metadata.json");
      assertEquals(Set.of("keras_version", "date_saved"), metadata.keySet());
      assertTrue(metadata.get("keras_version").getAsString().startsWith("3."));
      assertTrue(metadata.get("date_saved").getAsString().matches("\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d"));
      config = json(zip, "config.json");
      h5 = zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes();
    }
    assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), members);

    assertEquals(Set.of("module", "class_name", "config", "registered_name", "build_config", "compile_config"), config.keySet());
    assertEquals("keras", config.get("module").getAsString());
    assertEquals("Sequential", config.get("class_name").getAsString());
    JsonObject model = config.getAsJsonObject("config");
    assertEquals(Set.of("name", "trainable", "dtype", "layers", "build_input_shape"), model.keySet());
    List<String> classes = new ArrayList<>();
    for (JsonElement e : model.getAsJsonArray("layers")) {
      JsonObject layer = e.getAsJsonObject();
      String className = layer.get("class_name").getAsString();
      classes.add(className);
      Set<String> expected = switch (className) {
        case "InputLayer" -> Set.of("batch_shape", "dtype", "sparse", "ragged", "name");
        case "Conv2D" -> keys(CONV2D);
        case "MaxPooling2D" -> keys(POOLING);
        case "Flatten" -> keys(List.of("data_format"));
        case "Dropout" -> keys(List.of("rate", "seed", "noise_shape"));
        case "Dense" -> keys(DENSE);
        default -> throw new AssertionError(className);
      };
      assertEquals(expected, new TreeSet<>(layer.getAsJsonObject("config").keySet()), className);
      assertEquals("keras.layers", layer.get("module").getAsString());
      assertTrue(layer.has("registered_name") && layer.get("registered_name").isJsonNull());
    }
    assertEquals(List.of("InputLayer", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense"), classes);
    assertEquals(Set.of("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
        "steps_per_execution", "jit_compile"), config.getAsJsonObject("compile_config").keySet());

    // Keras 3: layers/<snake_case class>[_n]/vars/<i>; optimizer/vars: iterations, learning_rate,
    // then Adam's momentum and velocity per trainable variable, interleaved
    List<String> expected = List.of(
        "layers/conv2d/vars/0 [3, 3, 1, 2] float", "layers/conv2d/vars/1 [2] float",
        "layers/dense/vars/0 [8, 3] float", "layers/dense/vars/1 [3] float",
        "optimizer/vars/0 [] long", "optimizer/vars/1 [] float",
        "optimizer/vars/2 [3, 3, 1, 2] float", "optimizer/vars/3 [3, 3, 1, 2] float",
        "optimizer/vars/4 [2] float", "optimizer/vars/5 [2] float", "optimizer/vars/6 [8, 3] float",
        "optimizer/vars/7 [8, 3] float", "optimizer/vars/8 [3] float", "optimizer/vars/9 [3] float");
    try (HdfFile hdf = HdfFile.fromBytes(h5)) {
      assertEquals(expected, datasets(hdf));
      assertEquals(1L, ((Number) ((Dataset) hdf.getByPath("optimizer/vars/0")).getData()).longValue(), "one step");
      assertEquals("dense", hdf.getByPath("layers/dense/vars").getAttribute("name").getData());
      assertEquals("adam", hdf.getByPath("optimizer/vars").getAttribute("name").getData());
    }
    try (HdfFile hdf = new HdfFile(weightsFile)) {
      assertEquals(expected, datasets(hdf), "a .weights.h5 file has model.weights.h5's layout");
    }
  }

  private static List<String> datasets(Group group) {
    List<String> out = new ArrayList<>();
    for (Node child : group.getChildren().values()) {
      if (child instanceof Group g) {
        out.addAll(datasets(g));
      } else if (child instanceof Dataset d) {
        String path = d.getPath().startsWith("/") ? d.getPath().substring(1) : d.getPath();
        out.add(path + " " + Arrays.toString(d.getDimensions()) + " " + d.getJavaType().getSimpleName().toLowerCase(java.util.Locale.ROOT)); // scalars come boxed
      }
    }
    Collections.sort(out);
    return out;
  }

  private static JsonObject json(ZipFile zip, String name) throws Exception {
    ZipEntry entry = zip.getEntry(name);
    return com.google.gson.JsonParser.parseString(new String(zip.getInputStream(entry).readAllBytes(), "UTF-8")).getAsJsonObject();
  }
}
