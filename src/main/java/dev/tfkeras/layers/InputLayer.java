package dev.tfkeras.layers;

import dev.tfkeras.saving.Config;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The layer behind {@link Input#of}: it has no weights and does nothing; a functional model feeds
 * its data where the input layer's tensor stands. Shown as {@code input_layer (InputLayer)} in
 * summaries.
 */
public final class InputLayer extends Layer {

  InputLayer() {}

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    return input;
  }

  private static final Map<String, Class<? extends TType>> DTYPES = new LinkedHashMap<>();

  static {
    DTYPES.put("float32", TFloat32.class);
    DTYPES.put("int32", TInt32.class);
    DTYPES.put("int64", TInt64.class);
    DTYPES.put("string", TString.class); // raw strings, for the text preprocessing layers
  }

  /**
   * Keras's name of an input dtype tfkeras writes ({@code "float32"}, {@code "int32"}, {@code
   * "int64"}, {@code "string"}).
   */
  static String dtypeName(Class<? extends TType> type) {
    for (Map.Entry<String, Class<? extends TType>> e : DTYPES.entrySet()) {
      if (e.getValue() == type) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException(
        "Inputs of dtype " + type.getSimpleName() + " have no Keras config in tfkeras; it writes "
            + String.join(", ", DTYPES.keySet()) + " inputs.");
  }

  /**
   * Keras's {@code InputLayer.get_config}: {@code batch_shape} (unknown sizes null), {@code dtype}
   * (a string), {@code sparse} and {@code ragged} (false), {@code name}; no {@code trainable}.
   */
  @Override
  public Config getConfig() {
    KerasTensor tensor = input();
    return new Config()
        .put("batch_shape", kerasShape(tensor.shape()))
        .put("dtype", dtypeName(tensor.dtype()))
        .put("sparse", false)
        .put("ragged", false)
        .put("name", name());
  }

  /** An input layer has no build config: its shape is in its config. */
  @Override
  public Config getBuildConfig() {
    return null;
  }

  /**
   * Keras's {@code InputLayer.from_config}: the input layer of a new symbolic input ({@link
   * Input#named}), in the current runtime; Keras 2's {@code batch_input_shape} is read too.
   *
   * @throws IllegalArgumentException for a sparse or ragged input, another dtype, or no shape
   */
  public static InputLayer fromConfig(Config config) {
    long[] batchShape = config.has("batch_shape") ? config.getLongs("batch_shape") : config.getLongs("batch_input_shape");
    if (batchShape == null || batchShape.length == 0) {
      throw config.invalid("batch_shape", "the input's shape with its batch axis, e.g. [null, 28, 28, 1]");
    }
    String dtype = dtypeName(config.get("dtype"));
    Class<? extends TType> type = DTYPES.get(dtype);
    if (type == null) {
      throw config.invalid("dtype", "one of " + DTYPES.keySet() + " (the input dtypes tfkeras reads)");
    }
    if (config.getBoolean("sparse", false) || config.getBoolean("ragged", false)) {
      throw new IllegalArgumentException(
          "InputLayer " + config.owner() + " is sparse or ragged, which tfkeras's inputs are not.");
    }
    if (config.getBoolean("optional", false)) {
      throw config.invalid("optional", "false: tfkeras's inputs are always given");
    }
    config.ignore("input_tensor");
    String name = config.getString("name", null);
    config.checkAllRead();
    KerasTensor tensor = Input.named(name, type, Arrays.copyOfRange(batchShape, 1, batchShape.length));
    return (InputLayer) tensor.node().layer();
  }
}
