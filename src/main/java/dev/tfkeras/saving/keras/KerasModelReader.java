package dev.tfkeras.saving.keras;

import com.google.gson.JsonObject;
import dev.tfkeras.models.Model;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Serialization;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TType;

/**
 * Rebuilds a model from its serialized config, as Keras's {@code deserialize_keras_object} and
 * {@code load_model}: the class by name ({@code Sequential}, {@code Functional}, or a subclassed
 * model {@linkplain dev.tfkeras.saving.CustomObjects registered} by its {@code registered_name}),
 * its {@code fromConfig}, then its {@code build_config} and {@code compile_config}; from a {@code
 * .keras} archive, its weights by Keras's structure too: each Sequential or functional model's
 * layers numbered by snake-case class name in layer order ({@code layers/dense}, {@code
 * layers/dense_1}, not by the layers' own names), a nested model's under its own path ({@code
 * layers/functional/layers/dense/vars/0}), a subclassed model's layers under their names ({@code
 * conv1/vars/0}), each layer's variables in Keras's order (trainable, then non-trainable) under
 * {@code vars/0, 1, ...}. A Sequential's InputLayer is not one of its layers; a Functional's is
 * (and holds no variables).
 */
public final class KerasModelReader {

  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(KerasModelReader.class);
  private static final Pattern NON_WORD = Pattern.compile("\\W+");
  private static final Pattern UPPER_WORD = Pattern.compile("(.)([A-Z][a-z]+)");
  private static final Pattern LOWER_UPPER = Pattern.compile("([a-z])([A-Z])");

  private KerasModelReader() {}

  /**
   * The model described by {@code archive}, with its weights and, when the file has them, its
   * compile configuration and optimizer state. On failure nothing built escapes: a model already
   * built is closed before the exception is thrown.
   */
  public static Model read(KerasArchive archive) throws KerasFormatException {
    Model model = null;
    try {
      JsonObject json = archive.config();
      String version = archive.kerasVersion();
      if (version != null && version.startsWith("2.")) {
        json = KerasLegacyConfig.convert(json); // tf.keras 2.13+'s .keras: Keras 2 layer configs
      }
      Config serialized = Config.fromJson(json.toString());
      model = revive(serialized);
      if (!model.isBuilt()) {
        throw new IllegalArgumentException(
            "Model '" + model.name() + "' has no InputLayer, no build_input_shape and no build_config:"
                + " it was saved unbuilt, so its weights cannot be placed.");
      }
      KerasWeights.read(model, archive.weights(), archive.file(), "model.weights.h5"); // uncompiled: no optimizer state
      KerasAssets.read(model, archive.assets(), archive.file());
      Config compileConfig = serialized.getConfig("compile_config");
      if (compileConfig != null && compile(model, compileConfig, archive.file().toString())) {
        Map<String, TType> state = KerasWeights.optimizerState(model, archive.weights(), archive.file(), "model.weights.h5");
        try {
          if (!state.isEmpty()) {
            model.optimizer().restoreState(state);
          }
        } finally {
          state.values().forEach(TType::close);
        }
      }
      return model;
    } catch (RuntimeException | KerasFormatException e) {
      if (model != null) {
        model.close();
      }
      if (e instanceof KerasFormatException k) {
        throw k;
      }
      throw new KerasFormatException(archive.file() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keras's {@code keras.models.model_from_json} (and {@code deserialize_keras_object} of a model):
   * the model a serialized config describes, with new weights, built when its config or {@code
   * build_config} gives its input, and compiled when it has a {@code compile_config} (one that
   * cannot be applied is skipped with a warning, as Keras does).
   *
   * @throws IllegalArgumentException for an unknown or unregistered class, or a config tfkeras
   *     cannot build, naming it; nothing stays half-built then
   */
  public static Model deserialize(Config serialized) {
    Model model = revive(serialized);
    Config compileConfig = serialized.getConfig("compile_config");
    if (compileConfig != null) {
      compile(model, compileConfig, "the model's JSON");
    }
    return model;
  }

  /** The model of a serialized config, built from its {@code build_config} if its config did not. */
  private static Model revive(Config serialized) {
    Model model = Serialization.deserialize(serialized, Model.class);
    try {
      Config build = serialized.getConfig("build_config");
      if (!model.isBuilt() && build != null && build.get("input_shape") != null) {
        model.buildFor(inputShapes(build.get("input_shape"))); // Keras's build_from_config
      }
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The shapes of a {@code build_config}'s {@code input_shape}: one shape ({@code [null, 3]}) or a
   * list of them for a model of several inputs ({@code [[null, 3], [null, 4]]}); null sizes are -1.
   */
  static List<Shape> inputShapes(Object inputShape) {
    if (inputShape instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(e -> e instanceof List<?>)) {
      return list.stream().map(e -> shape(e, inputShape)).toList();
    }
    return List.of(shape(inputShape, inputShape));
  }

  private static Shape shape(Object dims, Object inputShape) {
    if (!(dims instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "build_config: input_shape must be a shape (a list of sizes) or a list of shapes, one per input."
              + " Received: input_shape=" + inputShape);
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object d = list.get(i);
      if (d != null && !(d instanceof Number)) {
        throw new IllegalArgumentException(
            "build_config: each size in input_shape must be an integer or null, received " + d
                + ". Received: input_shape=" + inputShape);
      }
      out[i] = d == null ? -1 : ((Number) d).longValue();
    }
    return Shape.of(out);
  }

  /** Compiles as {@code compile_config} says; false, with Keras's warning, when it cannot. */
  private static boolean compile(Model model, Config compileConfig, String where) {
    try {
      KerasCompile.apply(model, com.google.gson.JsonParser.parseString(compileConfig.toJson()).getAsJsonObject());
      return true;
    } catch (RuntimeException e) {
      // Keras's deserialize_keras_object warns and returns the model uncompiled likewise
      LOG.warn("{}: compile() was not called as part of model loading: the compile_config cannot be"
          + " applied ({}). The model and its weights are loaded; compile it yourself to train it.",
          where, e.getMessage());
      return false;
    }
  }

  /** Keras's {@code naming.to_snake_case}: {@code MaxPooling2D} → {@code max_pooling2d}. */
  static String snakeCase(String className) {
    String name = NON_WORD.matcher(className).replaceAll("");
    name = UPPER_WORD.matcher(name).replaceAll("$1_$2");
    return LOWER_UPPER.matcher(name).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The model a Keras 3 config describes ({@code class_name} and {@code config}), built, its
   * weights fresh; the legacy {@code .h5} reader's way in, after {@link KerasLegacyConfig}.
   */
  static Model build(JsonObject serialized, String where) {
    Model model = revive(Config.fromJson(serialized.toString()));
    if (!model.isBuilt()) {
      model.close();
      throw new IllegalArgumentException(
          "The model in " + where + " ('" + model.name() + "') has no input shape in its config: it was"
              + " saved unbuilt, so its weights cannot be placed.");
    }
    return model;
  }
}
