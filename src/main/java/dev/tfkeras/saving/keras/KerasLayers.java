package dev.tfkeras.saving.keras;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.tfkeras.layers.Activation;
import dev.tfkeras.layers.Add;
import dev.tfkeras.layers.Average;
import dev.tfkeras.layers.AveragePooling2D;
import dev.tfkeras.layers.BatchNormalization;
import dev.tfkeras.layers.Bidirectional;
import dev.tfkeras.layers.Concatenate;
import dev.tfkeras.layers.Conv1D;
import dev.tfkeras.layers.Conv2D;
import dev.tfkeras.layers.Conv2DTranspose;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.layers.Dropout;
import dev.tfkeras.layers.Embedding;
import dev.tfkeras.layers.Flatten;
import dev.tfkeras.layers.GRU;
import dev.tfkeras.layers.GlobalAveragePooling1D;
import dev.tfkeras.layers.GlobalAveragePooling2D;
import dev.tfkeras.layers.GlobalMaxPooling1D;
import dev.tfkeras.layers.GlobalMaxPooling2D;
import dev.tfkeras.layers.InputLayer;
import dev.tfkeras.layers.LSTM;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.layers.LayerNormalization;
import dev.tfkeras.layers.MaxPooling2D;
import dev.tfkeras.layers.Multiply;
import dev.tfkeras.layers.Permute;
import dev.tfkeras.layers.Rescaling;
import dev.tfkeras.layers.Reshape;
import dev.tfkeras.layers.SimpleRNN;
import dev.tfkeras.layers.Softmax;
import dev.tfkeras.layers.Subtract;
import dev.tfkeras.layers.UpSampling2D;
import dev.tfkeras.layers.ZeroPadding2D;
import dev.tfkeras.layers.preprocessing.CategoryEncoding;
import dev.tfkeras.layers.preprocessing.CenterCrop;
import dev.tfkeras.layers.preprocessing.Discretization;
import dev.tfkeras.layers.preprocessing.Hashing;
import dev.tfkeras.layers.preprocessing.IntegerLookup;
import dev.tfkeras.layers.preprocessing.Normalization;
import dev.tfkeras.layers.preprocessing.RandomBrightness;
import dev.tfkeras.layers.preprocessing.RandomContrast;
import dev.tfkeras.layers.preprocessing.RandomFlip;
import dev.tfkeras.layers.preprocessing.RandomRotation;
import dev.tfkeras.layers.preprocessing.RandomTranslation;
import dev.tfkeras.layers.preprocessing.RandomZoom;
import dev.tfkeras.layers.preprocessing.Resizing;
import dev.tfkeras.layers.preprocessing.StringLookup;
import dev.tfkeras.layers.preprocessing.TextVectorization;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.CustomObjects;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * tfkeras's layers by Keras class name, each read by the layer's own {@code fromConfig} (Keras's
 * {@code get_config()} keys with Keras's defaults); the registry {@link
 * dev.tfkeras.saving.Serialization#deserialize} and the Keras-file readers use. Models ({@code
 * Sequential}, {@code Functional}) are read by {@link KerasModelReader}.
 */
public final class KerasLayers {

  private static final Map<String, Function<Config, Layer>> FROM_CONFIG = new TreeMap<>();

  static {
    FROM_CONFIG.put("Activation", Activation::fromConfig);
    FROM_CONFIG.put("Add", Add::fromConfig);
    FROM_CONFIG.put("Average", Average::fromConfig);
    FROM_CONFIG.put("AveragePooling2D", AveragePooling2D::fromConfig);
    FROM_CONFIG.put("BatchNormalization", BatchNormalization::fromConfig);
    FROM_CONFIG.put("Bidirectional", Bidirectional::fromConfig);
    FROM_CONFIG.put("CategoryEncoding", CategoryEncoding::fromConfig);
    FROM_CONFIG.put("CenterCrop", CenterCrop::fromConfig);
    FROM_CONFIG.put("Concatenate", Concatenate::fromConfig);
    FROM_CONFIG.put("Conv1D", Conv1D::fromConfig);
    FROM_CONFIG.put("Conv2D", Conv2D::fromConfig);
    FROM_CONFIG.put("Conv2DTranspose", Conv2DTranspose::fromConfig);
    FROM_CONFIG.put("Dense", Dense::fromConfig);
    FROM_CONFIG.put("Discretization", Discretization::fromConfig);
    FROM_CONFIG.put("Dropout", Dropout::fromConfig);
    FROM_CONFIG.put("Embedding", Embedding::fromConfig);
    FROM_CONFIG.put("Flatten", Flatten::fromConfig);
    FROM_CONFIG.put("GRU", GRU::fromConfig);
    FROM_CONFIG.put("GlobalAveragePooling1D", GlobalAveragePooling1D::fromConfig);
    FROM_CONFIG.put("GlobalAveragePooling2D", GlobalAveragePooling2D::fromConfig);
    FROM_CONFIG.put("GlobalMaxPooling1D", GlobalMaxPooling1D::fromConfig);
    FROM_CONFIG.put("GlobalMaxPooling2D", GlobalMaxPooling2D::fromConfig);
    FROM_CONFIG.put("Hashing", Hashing::fromConfig);
    FROM_CONFIG.put("InputLayer", InputLayer::fromConfig);
    FROM_CONFIG.put("IntegerLookup", IntegerLookup::fromConfig);
    FROM_CONFIG.put("LSTM", LSTM::fromConfig);
    FROM_CONFIG.put("LayerNormalization", LayerNormalization::fromConfig);
    FROM_CONFIG.put("MaxPooling2D", MaxPooling2D::fromConfig);
    FROM_CONFIG.put("Multiply", Multiply::fromConfig);
    FROM_CONFIG.put("Normalization", Normalization::fromConfig);
    FROM_CONFIG.put("Permute", Permute::fromConfig);
    FROM_CONFIG.put("RandomBrightness", RandomBrightness::fromConfig);
    FROM_CONFIG.put("RandomContrast", RandomContrast::fromConfig);
    FROM_CONFIG.put("RandomFlip", RandomFlip::fromConfig);
    FROM_CONFIG.put("RandomRotation", RandomRotation::fromConfig);
    FROM_CONFIG.put("RandomTranslation", RandomTranslation::fromConfig);
    FROM_CONFIG.put("RandomZoom", RandomZoom::fromConfig);
    FROM_CONFIG.put("Rescaling", Rescaling::fromConfig);
    FROM_CONFIG.put("Reshape", Reshape::fromConfig);
    FROM_CONFIG.put("Resizing", Resizing::fromConfig);
    FROM_CONFIG.put("SimpleRNN", SimpleRNN::fromConfig);
    FROM_CONFIG.put("Softmax", Softmax::fromConfig);
    FROM_CONFIG.put("StringLookup", StringLookup::fromConfig);
    FROM_CONFIG.put("Subtract", Subtract::fromConfig);
    FROM_CONFIG.put("TextVectorization", TextVectorization::fromConfig);
    FROM_CONFIG.put("UpSampling2D", UpSampling2D::fromConfig);
    FROM_CONFIG.put("ZeroPadding2D", ZeroPadding2D::fromConfig);
  }

  private KerasLayers() {}

  /**
   * The {@code fromConfig} of tfkeras's layer of a Keras class name ({@code "Dense"}), or null for a
   * class tfkeras does not have; {@link dev.tfkeras.saving.Serialization#deserialize} reads
   * serialized layers through it.
   */
  public static Function<Config, Layer> factory(String className) {
    return className == null ? null : FROM_CONFIG.get(className);
  }

  /** The Keras class names read, sorted. */
  public static Set<String> supported() {
    return Collections.unmodifiableSet(FROM_CONFIG.keySet());
  }

  /**
   * The layer for one entry of a model's {@code layers} list, named as in the file: a class
   * registered in {@link CustomObjects} under its class name first, else tfkeras's.
   *
   * @throws IllegalArgumentException for an unknown class, an unknown key or an unsupported value,
   *     naming the layer
   */
  static Layer build(String className, JsonObject json) {
    Config config = Config.fromJson(json.toString()).describes(className);
    Function<Config, ?> custom = CustomObjects.get(className);
    Function<Config, ? extends Layer> factory = custom == null ? factory(className) : c -> {
      Object built = custom.apply(c);
      if (!(built instanceof Layer layer)) {
        throw new IllegalArgumentException(
            "The custom object registered as '" + className + "' built a "
                + (built == null ? "null" : built.getClass().getName()) + "; a model's layers must be Layers.");
      }
      return layer;
    };
    if (factory == null) {
      throw new IllegalArgumentException(
          "Unknown layer class '" + className + "' (layer '" + config.name() + "'). tfkeras reads these"
              + " Keras layers from a .keras file: " + String.join(", ", supported()) + ", and the"
              + " models Sequential and Functional. A layer class of your own is read through the"
              + " registry of custom objects (Keras's custom_objects / @register_keras_serializable):"
              + " CustomObjects.register(\"" + className + "\", " + className + "::fromConfig) before"
              + " loading.");
    }
    return factory.apply(config);
  }

  /** Keras's dtype: a string ({@code "float32"}) or a DTypePolicy object; tfkeras layers compute in float32. */
  static String dtypeName(JsonElement dtype) {
    if (dtype == null || dtype.isJsonNull()) {
      return "float32";
    }
    return Layer.dtypeName(dtype.isJsonObject() ? Config.fromJson(dtype.toString()) : dtype.getAsString());
  }
}
