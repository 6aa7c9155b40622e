package dev.tfkeras.models;

import dev.tfkeras.layers.Input;
import dev.tfkeras.layers.KerasTensor;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A plain stack of layers, each feeding the next, with everything a {@link Model} offers:
 *
 * <pre>{@code
 * var model = new Sequential(Input.of(28, 28, 1), new Conv2D(32, 3, "relu"), new Flatten(),
 *     new Dense(128, "relu"), new Dense(10));
 * }</pre>
 *
 * With an {@code Input} first the model is built at once (as Keras's {@code
 * Sequential([keras.Input(shape), ...])}), so {@code summary()} and {@code getWeights()} work before
 * any data; without one it is built by its first call. Layers are named after their class as in
 * Keras ({@code conv2d}, {@code dense}, {@code dense_1}) unless named; names must be unique in the
 * model. Any layer may be a model: a functional base, another Sequential, a subclassed model; its
 * weights train and save with this one.
 *
 * <p>Its config is Keras's ({@link #getConfig()}, {@link #fromConfig}): the layers serialized in
 * order, after the InputLayer of its input when it has one.
 */
public class Sequential extends Model {

  private final List<Layer> stack = new ArrayList<>();
  private KerasTensor input;

  public Sequential(Layer... layers) {
    for (Layer layer : layers) {
      add(layer);
    }
  }

  /**
   * A Sequential model on a declared input, built at once: Keras's {@code
   * Sequential([keras.Input(shape=...), layer, ...])}.
   */
  public Sequential(KerasTensor input, Layer... layers) {
    add(input);
    for (Layer layer : layers) {
      add(layer);
    }
    buildFromDeclaredInput();
  }

  /**
   * Declares the model's input, Keras's {@code model.add(keras.Input(shape=...))}; only as the
   * first entry. The model is built from it when first needed ({@code summary}, {@code getWeights},
   * {@code fit}...). Returns this.
   *
   * @throws IllegalStateException if the model already has layers or an input
   */
  public Sequential add(KerasTensor input) {
    Objects.requireNonNull(input, "input");
    if (this.input != null) {
      throw new IllegalStateException(
          "Sequential model '" + name() + "' has already been configured to use input shape "
              + Layer.format(this.input.shape()) + ". You cannot add a different Input to it.");
    }
    if (!stack.isEmpty() || isBuilt()) {
      throw new IllegalStateException(
          "An Input can only be the first entry of Sequential model '" + name() + "', which already"
              + " has " + stack.size() + " layer(s). Add the Input first.");
    }
    this.input = input;
    return this;
  }

  /** Appends a layer; only before the model is built. Returns this. */
  public Sequential add(Layer layer) {
    Objects.requireNonNull(layer, "layer");
    if (isBuilt()) {
      throw new IllegalStateException(
          "Cannot add layers to Sequential model '" + name() + "' after it was built; add every"
              + " layer before the first fit, predict, buildFor or apply.");
    }
    if (stack.contains(layer)) {
      throw new IllegalArgumentException(
          "Layer " + layer + " is already in this Sequential model; create a new instance to repeat it.");
    }
    if (layer.isBuilt() || isNamed(layer)) {
      for (Layer other : stack) {
        if ((other.isBuilt() || isNamed(other)) && other.name().equals(layer.name())) {
          throw new IllegalArgumentException(
              "All layers added to a Sequential model should have unique names. Name '"
                  + layer.name() + "' is already the name of a layer in this model. Update the"
                  + " `name` argument to pass a unique name.");
        }
      }
    }
    stack.add(layer);
    return this;
  }

  /** Whether the layer's name is settled (given, or assigned): unbuilt auto names are made unique later. */
  private static boolean isNamed(Layer layer) {
    return !layer.name().equals(Layer.snakeCaseName(layer.getClass().getSimpleName()));
  }

  /** The declared input ({@code Input.of}) or null. */
  public KerasTensor input() {
    return input != null ? input : super.input();
  }

  @Override
  public List<String> inputNames() {
    return input == null ? List.of() : List.of(input.node().layer().name());
  }

  @Override
  void buildFromDeclaredInput() {
    if (input != null && !isBuilt()) {
      apply(input);
    }
  }

  @Override
  List<Summary.Row> summaryRows() {
    return isBuilt() ? super.summaryRows() : stack.stream().map(Summary.Row::of).toList();
  }

  /** The declared input ({@code Input.of}) or null, without building anything. */
  KerasTensor declaredInput() {
    return input;
  }

  /**
   * Keras's {@code Sequential.get_config()}: {@code name}, {@code trainable}, {@code dtype}, {@code
   * layers} (the InputLayer of the model's input first, when it has one, then each layer
   * serialized as Keras serializes it) and, once the model has an input, {@code
   * build_input_shape}.
   */
  @Override
  public Config getConfig() {
    Config input = inputEntry();
    List<Config> layers = new ArrayList<>();
    if (input != null) {
      layers.add(input);
    }
    stack.forEach(layer -> layers.add(Models.serialize(layer)));
    Config config = new Config()
        .put("name", name())
        .put("trainable", isTrainable())
        .put("dtype", Models.float32Policy())
        .put("layers", layers);
    if (input != null) {
      config.put("build_input_shape", input.getConfig("config").get("batch_shape"));
    }
    return config;
  }

  /** Keras's {@code get_build_config()}: the input shape, batch axis first, once there is an input. */
  @Override
  public Config getBuildConfig() {
    Config input = inputEntry();
    return input == null ? null : new Config().put("input_shape", input.getConfig("config").get("batch_shape"));
  }

  /** The InputLayer entry: of the declared input, or of the first input's shape once built; else null. */
  private Config inputEntry() {
    if (input != null) {
      return Models.inputLayer(input);
    }
    if (!isBuilt()) {
      return null;
    }
    long[] dims = inputShape().asArray();
    dims[0] = -1;
    // named after the model, so that it stays unique beside the inputs of a model holding this one
    return Models.inputLayer(org.tensorflow.ndarray.Shape.of(dims), TFloat32.class, name() + "_input");
  }

  /**
   * The Sequential model a config from {@link #getConfig()} (or a Keras file) describes: its
   * layers rebuilt (tfkeras's by Keras's class names, custom ones through {@link
   * dev.tfkeras.saving.CustomObjects}), with new weights. Built at once when the config has an
   * InputLayer or a {@code build_input_shape}; else built by its first call, as Keras's.
   *
   * @throws IllegalArgumentException for an unknown class or config key, naming it; nothing stays
   *     half-built then
   */
  public static Sequential fromConfig(Config config) {
    config.describes("Sequential");
    String name = config.getString("name", null);
    boolean trainable = config.getBoolean("trainable", true);
    Models.requireFloat32(config);
    List<Object> entries = config.getList("layers");
    long[] buildShape = config.getLongs("build_input_shape");
    config.checkAllRead();
    if (entries == null) {
      throw new IllegalArgumentException("Sequential model '" + name + "' has no `layers` in its config.");
    }
    KerasTensor input = null;
    List<Layer> layers = new ArrayList<>();
    Sequential model = new Sequential();
    try {
      for (Object element : entries) {
        Config entry = Models.entry(element, "Sequential model '" + name + "'");
        if ("InputLayer".equals(entry.getString("class_name", null))) {
          input = Models.input(entry.getConfig("config"));
        } else {
          layers.add(Models.layer(entry, "Sequential model '" + name + "'"));
        }
      }
      if (input == null && buildShape != null) {
        input = Input.of(Arrays.copyOfRange(buildShape, 1, buildShape.length));
      }
      if (name != null) {
        model.name(name); // before the build, which fixes names
      }
      if (input != null) {
        model.add(input);
      }
      layers.forEach(model::add);
      model.buildFromDeclaredInput();
      if (!trainable) {
        model.setTrainable(false);
      }
      return model;
    } catch (RuntimeException e) {
      Models.closeAll(layers);
      model.close();
      throw e;
    }
  }

  /**
   * Runs the stack on the one input as it is given: the first layer receives the input's own dtype
   * (strings for a TextVectorization, int ids for an Embedding), each later layer its
   * predecessor's output in its own dtype (a lookup's int64 indices); the last one's is returned.
   */
  @Override
  protected Operand<?> call(List<Operand<?>> inputs, boolean training) {
    if (stack.isEmpty()) {
      throw new IllegalStateException("Sequential model '" + name() + "' has no layers; add some first.");
    }
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Sequential model '" + name() + "' takes one input, received " + inputs.size() + ". Use a"
              + " functional model (Model.of) for several inputs.");
    }
    Operand<?> x = inputs.get(0);
    for (Layer layer : stack) {
      List<Operand<?>> outputs = layer.applyOutputs(List.of(x), training);
      if (outputs.size() != 1) {
        throw new IllegalStateException(
            "Layer '" + layer.name() + "' of Sequential model '" + name() + "' returns "
                + outputs.size() + " outputs; a Sequential model passes one output from layer to"
                + " layer. Use a functional model (Model.of) to take them all.");
      }
      x = outputs.get(0);
    }
    return x;
  }
}
