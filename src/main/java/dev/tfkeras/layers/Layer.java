package dev.tfkeras.layers;

import dev.tfkeras.constraints.Constraint;
import dev.tfkeras.function.Trace;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.regularizers.Regularizer;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.Configurable;
import dev.tfkeras.variables.Variable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * A layer: settings in the constructor, weights created once from the first input's shape, and a
 * forward computation in {@link #call}.
 *
 * <p>Lifecycle, owned by {@link #apply}: the first {@code apply} inside a traced function names the
 * layer (after the field that holds it in its parent, e.g. {@code d1}, or after its class), checks
 * the input, calls {@link #build(Shape)} once so the subclass can {@link #addWeight add weights}, and
 * then {@link #call}. Later calls check the input against the built shape and call {@code call}
 * again. Weights may only be created in {@code build}; settings may only change before it.
 *
 * <p>Subclasses override {@code build} (optional) and {@code call}, and use {@link #tf()} for ops.
 *
 * <p>Output dtypes are Keras's: float32 for most layers; a layer whose output has another dtype (a
 * lookup's int64 indices, an inverted {@code StringLookup}'s strings) returns it from {@link
 * #call(List, boolean)}. {@link #applyOutputs} gives every output in its own dtype (what models
 * pass from layer to layer, and what symbolic tensors record); {@code apply} and {@code applyAll}
 * give float32, casting other numeric outputs.
 *
 * <p>Configuration, as Keras's {@code get_config}/{@code from_config}: {@link #getConfig()} gives
 * Keras's keys ({@code name}, {@code trainable}, {@code dtype}, then the layer's own settings) and
 * each layer class has a {@code public static X fromConfig(Config)} building an equal, unbuilt
 * layer; a layer of your own adds its settings to {@code super.getConfig()}, reads them in its
 * {@code fromConfig} and finishes with {@link #configured(Layer, Config)}, then is registered with
 * {@link dev.tfkeras.saving.CustomObjects}.
 */
public abstract class Layer implements Configurable {

  /** The dtype policy of every tfkeras layer: computations and weights in float32. */
  private static final String FLOAT32 = "float32";

  private static final ThreadLocal<Deque<Frame>> CALLS = ThreadLocal.withInitial(ArrayDeque::new);

  private final Map<String, Layer> children = new LinkedHashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Variable<TFloat32>> weights = new ArrayList<>();
  private final Map<Variable<TFloat32>, Regularizer> regularizers = new LinkedHashMap<>();
  private String name;
  private String givenName;
  private Layer parent;
  private GraphRuntime runtime;
  private Ops tf;
  private boolean building;
  private boolean built;
  private boolean trainable = true;
  private List<Shape> inputShapes;
  private List<Shape> outputShapes;

  private record Frame(Layer layer, boolean training) {}

  /**
   * Applies the layer, inheriting the training flag of the enclosing layer or model call (false at
   * top level).
   */
  public final Operand<TFloat32> apply(Operand<?> input) {
    Frame caller = CALLS.get().peek();
    return apply(input, caller != null && caller.training());
  }

  /**
   * Applies the layer inside a traced function.
   *
   * @param input a tensor of any dtype: layers that compute in float32 cast other numeric inputs,
   *     as Keras's ops promote them
   * @param training whether this is a training pass (dropout active), passed down to nested layers
   * @throws IllegalArgumentException if the input shape does not fit the layer
   * @throws IllegalStateException outside a traced function, or across runtimes
   */
  public final Operand<TFloat32> apply(Operand<?> input, boolean training) {
    Objects.requireNonNull(input, "input");
    return apply(List.of(input), training);
  }

  /**
   * Applies a layer or model that takes several inputs (a two-input model, a merge layer), inside a
   * traced function.
   *
   * @throws IllegalStateException if the layer returns several outputs: use {@link #applyAll}
   */
  public final Operand<TFloat32> apply(List<? extends Operand<?>> inputs, boolean training) {
    List<Operand<TFloat32>> outputs = applyAll(inputs, training);
    if (outputs.size() != 1) {
      throw new IllegalStateException(
          "Layer '" + name() + "' returns " + outputs.size() + " outputs (e.g. a recurrent layer with"
              + " returnState); use applyAll(...) to get them all.");
    }
    return outputs.get(0);
  }

  /** Applies the layer to one input and returns every output, e.g. an LSTM's output and states. */
  public final List<Operand<TFloat32>> applyAll(Operand<?> input, boolean training) {
    Objects.requireNonNull(input, "input");
    return applyAll(List.of(input), training);
  }

  /**
   * Applies the layer inside a traced function and returns every output as float32: {@link
   * #applyOutputs} with the outputs of another numeric dtype (a lookup's int64 indices) cast to
   * float32, as the float32 layers cast their inputs.
   *
   * @throws IllegalStateException if an output holds strings (a {@code StringLookup} with {@code
   *     invert}): take it from {@link #applyOutputs}
   */
  public final List<Operand<TFloat32>> applyAll(List<? extends Operand<?>> inputs, boolean training) {
    List<Operand<?>> outputs = applyOutputs(inputs, training);
    List<Operand<TFloat32>> floats = new ArrayList<>(outputs.size());
    for (Operand<?> output : outputs) {
      floats.add(floatOutput(output));
    }
    return floats;
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloat32> floatOutput(Operand<?> output) {
    if (output.type() == TFloat32.class) {
      return (Operand<TFloat32>) output;
    }
    if (!org.tensorflow.types.family.TNumber.class.isAssignableFrom(output.type())) {
      throw new IllegalStateException(
          "Layer '" + name() + "' returns a " + output.type().getSimpleName() + " output, which apply"
              + " and applyAll cannot give as float32. Use applyOutputs(...) to get the outputs in"
              + " their own dtypes.");
    }
    Trace trace = Trace.current();
    Operand<TFloat32> cast = trace.ops().dtypes.cast((Operand<? extends org.tensorflow.types.family.TType>) output, TFloat32.class);
    Operand<TBool> mask = trace.mask(output);
    if (mask != null) {
      trace.setMask(cast, mask);
    }
    return cast;
  }

  /**
   * Applies the layer inside a traced function and returns every output in its own dtype: float32
   * for most layers, int64 indices or strings for the lookup layers, as Keras's layers return them;
   * the lifecycle behind every {@code apply}: naming, build on first call, input checks, then
   * {@link #callAll}.
   */
  public final List<Operand<?>> applyOutputs(List<? extends Operand<?>> inputs, boolean training) {
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Layer \"" + name() + "\" needs at least one input, received none.");
    }
    List<Operand<?>> args = List.copyOf(inputs);
    Trace trace = Trace.current();
    Frame caller = CALLS.get().peek();
    if (runtime == null) {
      attach(trace.runtime(), caller == null ? null : caller.layer());
    } else if (runtime != trace.runtime()) {
      throw new IllegalStateException(
          "Layer '" + name + "' was built in another runtime"
              + (runtime.isClosed() ? ", which is closed" : "")
              + ". Layers, models and the functions that use them must share one runtime.");
    } else if (caller != null && caller.layer() != this) {
      // A layer built elsewhere (a base model, a layer of another model) called inside this
      // caller: the caller tracks it too, so that its weights train and save with the caller.
      caller.layer().track(this);
    }
    List<Shape> shapes = args.stream().map(Operand::shape).toList();
    validateInputs(shapes);
    boolean firstCall = !built;
    if (!built) {
      building = true;
      try {
        build(shapes);
      } finally {
        building = false;
      }
      built = true;
      inputShapes = shapes;
    }
    List<Operand<?>> outputs;
    CALLS.get().push(new Frame(this, training));
    try {
      outputs = List.copyOf(callAll(args, training));
    } catch (RuntimeException | Error e) {
      if (firstCall && isContainer() && weights.isEmpty()) {
        // A container is built by its first call, which builds its sublayers: one that failed
        // (an input its first layer rejects) built nothing for that shape, so the next call
        // starts over instead of leaving the model "built" for the rejected input shape.
        built = false;
        inputShapes = null;
      }
      throw e;
    } finally {
      CALLS.get().pop();
    }
    if (supportsMasking() && args.size() == 1) {
      Operand<TBool> mask = trace.mask(args.get(0));
      if (mask != null) {
        for (Operand<?> output : outputs) {
          if (trace.mask(output) == null && output != args.get(0)) {
            trace.setMask(output, mask);
          }
        }
      }
    }
    if (outputShapes == null) {
      outputShapes = outputs.stream().map(Operand::shape).toList();
    }
    return outputs;
  }

  /**
   * Every output of the layer, each in its own dtype; the default is the one output of {@link
   * #call(List, boolean)}. Layers with several outputs (an RNN returning its states) override this.
   */
  protected List<? extends Operand<?>> callAll(List<Operand<?>> inputs, boolean training) {
    return List.of(call(inputs, training));
  }

  /** Applies the layer to a symbolic tensor (functional API), building it now. */
  public final KerasTensor apply(KerasTensor input) {
    return single(applySymbolic(List.of(Objects.requireNonNull(input, "input")), null));
  }

  /**
   * Applies the layer to a symbolic tensor with a fixed training flag, as Keras's {@code
   * base(x, training=False)}: when the functional model is run, this call runs with {@code
   * training} whatever the model's own flag, so a frozen base keeps its BatchNormalization in
   * inference mode and its Dropout off while the head trains.
   */
  public final KerasTensor apply(KerasTensor input, boolean training) {
    return single(applySymbolic(List.of(Objects.requireNonNull(input, "input")), training));
  }

  /** Applies the layer to several symbolic tensors (a merge layer, a multi-input model). */
  public final KerasTensor apply(List<KerasTensor> inputs) {
    return single(applySymbolic(inputs, null));
  }

  /**
   * Applies the layer to several symbolic tensors with a fixed training flag (see {@link
   * #apply(KerasTensor, boolean)}), Keras's {@code base([a, b], training=False)}: every output.
   * (Named apart from {@code applyAll(List, boolean)}, which takes traced operands.)
   */
  public final List<KerasTensor> applyWithTraining(List<KerasTensor> inputs, boolean training) {
    return applySymbolic(inputs, training);
  }

  /** Applies the layer to a symbolic tensor and returns every output. */
  public final List<KerasTensor> applyAll(KerasTensor input) {
    return applySymbolic(List.of(Objects.requireNonNull(input, "input")), null);
  }

  /** Applies the layer to a symbolic tensor with a fixed training flag and returns every output. */
  public final List<KerasTensor> applyAll(KerasTensor input, boolean training) {
    return applySymbolic(List.of(Objects.requireNonNull(input, "input")), training);
  }

  /**
   * Applies the layer to symbolic tensors, as Keras's functional API does: the layer is built (its
   * weights created) now, from their shapes, and the call is recorded so that {@code
   * Model.of(inputs, outputs)} can replay it on data. Runs outside any traced function.
   */
  public final List<KerasTensor> applyAll(List<KerasTensor> inputs) {
    return applySymbolic(inputs, null);
  }

  private KerasTensor single(List<KerasTensor> outputs) {
    if (outputs.size() != 1) {
      throw new IllegalStateException(
          "Layer '" + name() + "' returns " + outputs.size() + " outputs; use applyAll(...) to get them all.");
    }
    return outputs.get(0);
  }

  private List<KerasTensor> applySymbolic(List<KerasTensor> inputs, Boolean training) {
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Layer \"" + name() + "\" needs at least one input, received none.");
    }
    GraphRuntime symbolicRuntime = inputs.get(0).node().layer().runtime();
    for (KerasTensor input : inputs) {
      if (input.node().layer().runtime() != symbolicRuntime) {
        throw new IllegalArgumentException(
            "Symbolic inputs of layer '" + name() + "' come from different runtimes; build a"
                + " functional model from inputs made after the same GraphRuntime.reset().");
      }
    }
    List<Operand<?>> results =
        Trace.symbolic(
            symbolicRuntime,
            "symbolic",
            () -> {
              Ops ops = Trace.current().ops();
              List<Operand<?>> placeholders = new ArrayList<>();
              for (KerasTensor input : inputs) {
                placeholders.add(ops.placeholder(input.dtype(), org.tensorflow.op.core.Placeholder.shape(input.shape())));
              }
              return applyOutputs(placeholders, training != null && training);
            });
    Node node = new Node(this, inputs, nodes.size(), training);
    recordNode(node);
    List<KerasTensor> outputs = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      KerasTensor output = new KerasTensor(results.get(i).shape(), results.get(i).type(), node, i);
      node.addOutput(output);
      outputs.add(output);
    }
    return outputs;
  }

  /**
   * The symbolic output of this layer's first call on symbolic tensors, Keras's {@code
   * layer.output}: with {@code model.inputs()} it defines a feature extractor, {@code
   * Model.of(model.inputs(), model.getLayer("conv").output())}.
   *
   * @throws IllegalStateException if the layer was never called on symbolic tensors
   */
  public KerasTensor output() {
    List<KerasTensor> outputs = firstNode("output").outputs();
    if (outputs.size() != 1) {
      throw new IllegalStateException(
          "Layer '" + name() + "' has " + outputs.size() + " outputs; take them from the list that"
              + " applyAll(...) returned.");
    }
    return outputs.get(0);
  }

  /**
   * The symbolic input of this layer's first call on symbolic tensors, Keras's {@code layer.input}
   * (an input layer's own tensor).
   *
   * @throws IllegalStateException if the layer was never called on symbolic tensors
   */
  public KerasTensor input() {
    Node node = firstNode("input");
    if (node.inputs().isEmpty()) {
      return node.outputs().get(0);
    }
    if (node.inputs().size() != 1) {
      throw new IllegalStateException(
          "Layer '" + name() + "' was called on " + node.inputs().size() + " inputs; take them from"
              + " the list it was applied to.");
    }
    return node.inputs().get(0);
  }

  private Node firstNode(String what) {
    if (nodes.isEmpty()) {
      throw new IllegalStateException(
          "The layer " + name() + " has never been called and thus has no defined " + what + "."
              + " Call it on symbolic tensors (Input.of(...)) first.");
    }
    return nodes.get(0);
  }

  void recordNode(Node node) {
    nodes.add(node);
  }

  /** Attaches an input layer: named uniquely in {@code runtime}, built for {@code shape}. */
  void attachAsInput(GraphRuntime runtime, String base, Shape shape) {
    this.runtime = runtime;
    this.name = runtime.uniqueRootName(base);
    this.tf = runtime.ops().withSubScope(name);
    this.built = true;
    this.inputShapes = List.of(shape);
    this.outputShapes = List.of(shape);
  }

  /**
   * Whether this layer passes a Keras mask of its single input on to its outputs unchanged (as
   * Dropout or Dense do in Keras); layers that consume or create masks read {@link #maskOf} and set
   * {@link #setMask} themselves. Default false: the mask stops here.
   */
  protected boolean supportsMasking() {
    return false;
  }

  /** The Keras mask (true = a real time step) attached to {@code x}, or null. */
  protected final Operand<TBool> maskOf(Operand<?> x) {
    return Trace.current().mask(x);
  }

  /** Attaches a Keras mask to {@code x}, e.g. Embedding's {@code maskZero}. */
  protected final void setMask(Operand<?> x, Operand<TBool> mask) {
    Trace.current().setMask(x, mask);
  }

  /**
   * Checks the input shapes before build and before every call. The default accepts one input and
   * checks it with {@link #validateInput(Shape)}; layers with several inputs override this.
   */
  protected void validateInputs(List<Shape> inputShapes) {
    if (inputShapes.size() == 1) {
      validateInput(inputShapes.get(0));
    }
  }

  /**
   * Checks an input shape before build and before every call; throw {@link
   * IllegalArgumentException} via {@link #incompatible} when it does not fit.
   */
  protected void validateInput(Shape inputShape) {}

  /** Creates the weights from the first input's shape. Called once. */
  protected void build(Shape inputShape) {}

  /**
   * Creates the weights from the shapes of the first call's inputs. Called once; the default
   * passes a single input's shape to {@link #build(Shape)}.
   */
  protected void build(List<Shape> inputShapes) {
    if (inputShapes.size() == 1) {
      build(inputShapes.get(0));
    }
  }

  /**
   * The forward computation of a one-input layer: pure maths on symbolic operands, built with
   * {@link #tf()}. Override this, or {@link #call(List, boolean)} for several inputs or inputs
   * that must keep their dtype (such as token ids).
   */
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    throw new IllegalStateException(
        "Layer '" + name() + "' (" + getClass().getName() + ") defines no forward computation:"
            + " override call(Operand<TFloat32>, boolean), or call(List<Operand<?>>, boolean) for"
            + " several inputs.");
  }

  /**
   * The forward computation over every input, as given to {@code apply}, returning the output in
   * its own dtype (float32, or e.g. a lookup's int64 indices). The default takes exactly one input,
   * casts it to float32 if it has another dtype, and calls {@link #call(Operand, boolean)}.
   */
  protected Operand<?> call(List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes one input, received " + inputs.size() + ": "
              + String.join(", ", inputs.stream().map(i -> format(i.shape())).toList())
              + ". Combine them first, or override call(List<Operand<?>>, boolean) to take several.");
    }
    return call(asFloat(inputs.get(0)), training);
  }

  /** {@code input} as float32: itself, or cast from another numeric or boolean dtype. */
  @SuppressWarnings("unchecked")
  protected final Operand<TFloat32> asFloat(Operand<?> input) {
    if (input.type() == TFloat32.class) {
      return (Operand<TFloat32>) input;
    }
    return tf().dtypes.cast((Operand<? extends org.tensorflow.types.family.TType>) input, TFloat32.class);
  }

  /**
   * Adds a weight; only allowed inside {@link #build}.
   *
   * @param weightName short name, e.g. {@code kernel}
   */
  protected final Variable<TFloat32> addWeight(
      String weightName, Shape shape, Initializer initializer, boolean trainable) {
    return addWeight(weightName, shape, initializer, trainable, null, null);
  }

  /**
   * Adds a weight with Keras's regularizer (its penalty joins {@link #losses()}) and constraint
   * (applied by optimizers after each update); either may be null. Only allowed inside {@link
   * #build}.
   */
  protected final Variable<TFloat32> addWeight(
      String weightName,
      Shape shape,
      Initializer initializer,
      boolean trainable,
      Regularizer regularizer,
      Constraint constraint) {
    if (!building) {
      throw new IllegalStateException(
          "Layer '" + name() + "' tried to create weight '" + weightName + "' outside build(). All"
              + " state must be created in the constructor or in build().");
    }
    if (shape.hasUnknownDimension()) {
      throw new IllegalArgumentException(
          "Weight '" + weightName + "' of layer '" + name + "' needs a fully known shape, received "
              + format(shape) + ". Give the input a known size on every non-batch axis.");
    }
    Ops init = tf.withInitScope();
    Variable<TFloat32> weight =
        Variable.create(
            runtime,
            tf,
            weightName,
            uniquePath(weightName),
            initializer.create(init, shape, runtime.nextSeed()),
            trainable,
            constraint);
    weights.add(weight);
    if (regularizer != null) {
      regularizers.put(weight, regularizer);
    }
    return weight;
  }

  /** Ops for this layer's computation, named under the layer. Valid from build on. */
  protected final Ops tf() {
    if (tf == null) {
      throw new IllegalStateException(
          "Layer '" + getClass().getSimpleName() + "' has no ops before its first apply().");
    }
    return tf;
  }

  /** Fails unless the layer is still unbuilt; used by setters of settings. */
  protected final void checkNotBuilt(String setting) {
    if (built || building) {
      throw new IllegalStateException(
          "Cannot change " + setting + " of layer '" + name + "' after it was built; set it"
              + " before the first apply().");
    }
  }

  /**
   * An {@link IllegalArgumentException} in Keras's words: {@code Input 0 of layer "conv1" is
   * incompatible with the layer: expected ndim=4, found ndim=2. Full shape received: (None, 784)}.
   */
  protected final IllegalArgumentException incompatible(String expected, Shape received) {
    return new IllegalArgumentException(
        "Input 0 of layer \"" + name() + "\" is incompatible with the layer: " + expected
            + ". Full shape received: " + format(received));
  }

  /** Requires a given rank. */
  protected final void requireRank(Shape shape, int rank) {
    if (shape.isUnknown() || shape.numDimensions() != rank) {
      throw incompatible(
          "expected ndim=" + rank + ", found ndim=" + (shape.isUnknown() ? "unknown" : shape.numDimensions()),
          shape);
    }
  }

  /** Requires at least a given rank. */
  protected final void requireMinRank(Shape shape, int rank) {
    if (shape.isUnknown() || shape.numDimensions() < rank) {
      throw incompatible(
          "expected min_ndim=" + rank + ", found ndim=" + (shape.isUnknown() ? "unknown" : shape.numDimensions()),
          shape);
    }
  }

  /** Requires the last axis to be known and, once built, equal to the built value. */
  protected final void requireLastAxis(Shape shape, String what) {
    long last = shape.get(shape.numDimensions() - 1);
    if (last == Shape.UNKNOWN_SIZE) {
      throw incompatible("the last axis (" + what + ") must be known", shape);
    }
    if (inputShapes != null) {
      Shape built = inputShapes.get(0);
      long builtLast = built.get(built.numDimensions() - 1);
      if (last != builtLast) {
        throw incompatible(
            "expected axis -1 of input shape to have value " + builtLast + " (" + what
                + " the layer was built with), found " + last,
            shape);
      }
    }
  }

  /** Keras-style shape text, {@code (None, 28, 28, 1)}. */
  public static String format(Shape shape) {
    return dev.tfkeras.utils.Shapes.format(shape);
  }

  /**
   * The layer's name: the one given by {@link #name(String)}, else assigned on first apply (the
   * field that holds it in its parent model, else its class in snake case made unique, {@code
   * dense_1}); its class name in snake case before that.
   */
  public String name() {
    return name != null ? name : givenName != null ? givenName : snakeCase(getClass().getSimpleName());
  }

  /**
   * Names the layer, as Keras's {@code name=} argument: {@code new Dense(1).name("priority")}. The
   * name is kept as given (a functional or Sequential model checks that its layers' names are
   * unique); it names the outputs in the logs ({@code priority_loss}), the inputs and targets in
   * {@code Map}-keyed data, and {@link dev.tfkeras.models.Model#getLayer(String)}. Set it before the
   * layer is first applied. Returns this.
   *
   * @throws IllegalArgumentException if the name is empty or contains {@code /}
   * @throws IllegalStateException once the layer was applied
   */
  public Layer name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException(
          "Argument `name` must be a non-empty string and cannot contain character `/`. Received:"
              + " name=" + name);
    }
    if (this.name != null) {
      throw new IllegalStateException(
          "Cannot rename layer '" + this.name + "' to '" + name + "': it was already applied."
              + " Name a layer when creating it, before its first call.");
    }
    this.givenName = name;
    return this;
  }

  /** Whether {@link #build} is running now, as part of the first apply. */
  protected final boolean isBuilding() {
    return building;
  }

  /** Whether {@link #build} has run. */
  public boolean isBuilt() {
    return built;
  }

  /** The shape of the first call's (first) input, or null before the first apply. */
  public Shape inputShape() {
    return inputShapes == null ? null : inputShapes.get(0);
  }

  /** The shapes of the first call's inputs, or null before the first apply. */
  public List<Shape> inputShapes() {
    return inputShapes;
  }

  /** The shape of the first output, or null before the first apply. */
  public Shape outputShape() {
    return outputShapes == null ? null : outputShapes.get(0);
  }

  /** The shapes of every output of the first call, or null before the first apply. */
  public List<Shape> outputShapes() {
    return outputShapes;
  }

  /**
   * Keras's {@code layer.trainable}: whether this layer's weights may train. A model that is not
   * trainable lists none of the weights it holds in {@link #trainableVariables()}, whatever its
   * sublayers say; a BatchNormalization that is not trainable runs in inference mode (Keras 3).
   */
  public boolean isTrainable() {
    return trainable;
  }

  /**
   * Freezes ({@code false}) or unfreezes this layer and every sublayer it holds, as Keras's {@code
   * layer.trainable = False}: a frozen base model freezes all its layers, in every model that uses
   * it. Sublayers attached later (a subclassed model's fields, built on its first call) start
   * frozen too. Takes effect in new traces: call {@code compile} again before {@code fit}, as in
   * Keras.
   */
  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
    children.values().forEach(child -> child.setTrainable(trainable));
  }

  /**
   * Direct sublayers, in the order of their first call: those it created (fields, a Sequential's
   * stack) and those built elsewhere that it calls (a base model, a shared layer).
   */
  public List<Layer> layers() {
    return List.copyOf(children.values());
  }

  /**
   * All weights of this layer and its sublayers, in order of creation within first-call order; a
   * layer reached twice (shared between nested models) counts once.
   */
  public List<Variable<TFloat32>> variables() {
    requireBuilt();
    List<Variable<TFloat32>> all = new ArrayList<>();
    for (Layer layer : flatten()) {
      all.addAll(layer.weights);
    }
    return Collections.unmodifiableList(all);
  }

  /** This layer then every layer it holds, depth first in first-call order, each once. */
  private List<Layer> flatten() {
    List<Layer> out = new ArrayList<>();
    java.util.Set<Layer> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    flatten(seen, out);
    return out;
  }

  private void flatten(java.util.Set<Layer> seen, List<Layer> out) {
    if (seen.add(this)) {
      out.add(this);
      children.values().forEach(child -> child.flatten(seen, out));
    }
  }

  /** Weights that optimizers update, in a stable order. */
  public List<Variable<TFloat32>> trainableVariables() {
    return collect(true);
  }

  /** Weights that optimizers leave alone (frozen layers, non-trainable state). */
  public List<Variable<TFloat32>> nonTrainableVariables() {
    return collect(false);
  }

  /**
   * The regularization penalties of the trainable weights of this layer and its sublayers, as
   * scalar operands built in the current trace: Keras's {@code layer.losses}. {@code fit} adds them
   * to the loss; a custom training step adds their sum itself. Empty before the first apply.
   *
   * @throws IllegalStateException outside a traced function, or in another runtime
   */
  public List<Operand<TFloat32>> losses() {
    Trace trace = Trace.current();
    if (!built) {
      return List.of();
    }
    if (trace.runtime() != runtime) {
      throw new IllegalStateException(
          "Layer '" + name + "' was built in another runtime; its losses() can only be computed in"
              + " functions of that runtime.");
    }
    Ops ops = trace.ops();
    List<Operand<TFloat32>> penalties = new ArrayList<>();
    for (Variable<TFloat32> weight : trainableVariables()) {
      Regularizer regularizer = regularizerOf(weight);
      if (regularizer != null) {
        penalties.add(regularizer.apply(ops, weight.read(ops)));
      }
    }
    return Collections.unmodifiableList(penalties);
  }

  private Regularizer regularizerOf(Variable<TFloat32> weight) {
    Regularizer own = regularizers.get(weight);
    if (own != null) {
      return own;
    }
    for (Layer child : children.values()) {
      Regularizer found = child.regularizerOf(weight);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /**
   * The weights in Keras's {@code layer.weights} order: this layer's trainable weights, then its
   * non-trainable ones, then each sublayer's, in first-call order. The order of {@link
   * #getWeights()} and {@link #setWeights}.
   */
  public List<Variable<TFloat32>> weights() {
    requireBuilt();
    List<Variable<TFloat32>> all = new ArrayList<>();
    for (Layer layer : flatten()) {
      layer.weights.stream().filter(Variable::trainable).forEach(all::add);
      layer.weights.stream().filter(w -> !w.trainable()).forEach(all::add);
    }
    return Collections.unmodifiableList(all);
  }

  /** Copies of every weight's value, in {@link #weights()} order: Keras's {@code get_weights()}. */
  public List<FloatNdArray> getWeights() {
    return WeightValues.read(weights());
  }

  /**
   * Overwrites every weight, in {@link #weights()} order, as Keras's {@code set_weights}: one value
   * per weight, each a {@code FloatNdArray} (a {@code TFloat32} or an element of {@link
   * #getWeights()}) or a nested {@code float} array of the weight's shape, or a flat {@code
   * float[]} of its size (row-major). Everything is checked before anything is assigned.
   *
   * @throws IllegalArgumentException if the count, a shape or a type does not match, naming it
   */
  public void setWeights(List<?> values) {
    WeightValues.assign(name(), weights(), values);
  }

  /**
   * Writes state that is not a weight, such as a lookup layer's vocabulary, as files in {@code
   * directory} (Keras's {@code save_assets}); model saving calls it for every layer with the
   * layer's own directory. Default: nothing, and the directory is not created.
   *
   * @throws java.io.IOException naming the file that cannot be written
   */
  public void saveAssets(java.nio.file.Path directory) throws java.io.IOException {}

  /**
   * Reads what {@link #saveAssets} wrote into {@code directory} (Keras's {@code load_assets}),
   * after the weights were loaded. Default: nothing.
   *
   * @throws java.io.IOException naming the file that is missing or unreadable
   */
  public void loadAssets(java.nio.file.Path directory) throws java.io.IOException {}

  /** Number of scalars in all weights. */
  public long countParams() {
    return variables().stream().mapToLong(Variable::size).sum();
  }

  /** The runtime this layer is bound to, or null before its first apply. */
  public GraphRuntime runtime() {
    return runtime;
  }

  private List<Variable<TFloat32>> collect(boolean wantTrainable) {
    requireBuilt();
    List<Variable<TFloat32>> out = new ArrayList<>();
    collect(wantTrainable, true, Collections.newSetFromMap(new java.util.IdentityHashMap<>()), out);
    return Collections.unmodifiableList(out);
  }

  /**
   * Keras 3's rule: a weight trains when it is trainable and so is every layer on the way to it
   * from the layer asked ({@code if not self.trainable: return []}).
   */
  private void collect(boolean wantTrainable, boolean open, java.util.Set<Layer> seen, List<Variable<TFloat32>> out) {
    if (!seen.add(this)) {
      return;
    }
    boolean trains = open && trainable;
    for (Variable<TFloat32> weight : weights) {
      if ((weight.trainable() && trains) == wantTrainable) {
        out.add(weight);
      }
    }
    for (Layer child : children.values()) {
      child.collect(wantTrainable, trains, seen, out);
    }
  }

  /** Fails with guidance if this layer was never applied. */
  protected void requireBuilt() {
    if (!built) {
      throw new IllegalStateException(
          "Layer '" + name() + "' has no weights yet: they are created by its first apply(...)"
              + " inside a TfFunction. Apply it once (for a model: model.apply(x, training), not"
              + " call) before asking for its variables.");
    }
  }

  private void attach(GraphRuntime runtime, Layer parent) {
    this.runtime = runtime;
    this.parent = parent;
    if (parent == null) {
      this.name = givenName != null ? givenName : runtime.uniqueRootName(name());
      if (givenName != null) {
        runtime.uniqueRootName(givenName); // reserves it against later automatic names
      }
      this.tf = runtime.ops().withSubScope(name);
      attachedAtTopLevel(runtime);
    } else {
      this.name = givenName != null ? givenName : parent.childName(this);
      parent.children.put(parent.childKey(name), this);
      this.tf = parent.tf.withSubScope(name);
      if (!parent.trainable) {
        this.trainable = false;
      }
    }
  }

  /**
   * Makes {@code child}, a layer already built in this layer's runtime, one of this container's
   * sublayers, as a functional model takes the layers it was defined with and as a model takes a
   * base model it calls. A layer may serve several models (Keras's shared layers): each tracks
   * it, all use its one set of weights, and the first to take a top-level layer owns it (its
   * runtime share passes to that model).
   */
  protected final void track(Layer child) {
    if (child == this || child.parent == this || children.containsValue(child)) {
      return;
    }
    if (child.parent == null) {
      child.parent = this;
      child.adopted();
    }
    children.put(childKey(child.name), child);
  }

  /** {@code name}, or {@code name_1}... if another sublayer is already kept under it. */
  private String childKey(String name) {
    String key = name;
    for (int i = 1; children.containsKey(key); i++) {
      key = name + "_" + i;
    }
    return key;
  }

  /** Called when this layer is first applied outside any other layer, in {@code runtime}. */
  protected void attachedAtTopLevel(GraphRuntime runtime) {}

  /** Called when a container {@link #track tracks} this top-level layer as one of its own. */
  protected void adopted() {}

  private String childName(Layer child) {
    String field = fieldNameOf(child);
    if (field != null && !children.containsKey(field)) {
      return field;
    }
    String base = field != null ? field : child.name();
    String candidate = base;
    for (int i = 1; children.containsKey(candidate); i++) {
      candidate = base + "_" + i;
    }
    return candidate;
  }

  private String fieldNameOf(Layer child) {
    for (Class<?> type = getClass(); type != Layer.class && type != null; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) || !Layer.class.isAssignableFrom(field.getType())) {
          continue;
        }
        try {
          field.setAccessible(true);
          if (field.get(this) == child) {
            return snakeCase(field.getName());
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          // inaccessible field (module boundary): fall back to a generated name
        }
      }
    }
    return null;
  }

  /**
   * The weight's path: {@code d1/kernel} under its model, or, when another weight of the runtime
   * has that path already (the same architecture built twice, a base model's layers beside the
   * outer model's), the path qualified by the top-level model's name.
   */
  private String uniquePath(String weightName) {
    String path = pathPrefix() + weightName;
    if (runtime.claimVariablePath(path)) {
      return path;
    }
    String qualified = qualifiedPathPrefix() + weightName;
    path = qualified;
    for (int i = 1; !runtime.claimVariablePath(path); i++) {
      path = qualified + "_" + i;
    }
    return path;
  }

  private String qualifiedPathPrefix() {
    return (parent == null ? "" : parent.qualifiedPathPrefix()) + name + "/";
  }

  private String pathPrefix() {
    if (parent == null) {
      return isContainer() ? "" : name + "/";
    }
    return parent.pathPrefix() + name + "/";
  }

  /**
   * Whether this layer is a container whose own name is left out of weight paths when it is the
   * root, as models are: {@code d1/kernel} rather than {@code my_model/d1/kernel}.
   */
  protected boolean isContainer() {
    return false;
  }

  /** Keras's snake_case of a Java name: {@code MaxPooling2D} → {@code max_pooling2d}. */
  public static String snakeCaseName(String camel) {
    return snakeCase(camel);
  }

  static String snakeCase(String camel) {
    if (camel.isEmpty()) {
      return "layer";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean prevLower = i > 0 && Character.isLowerCase(camel.charAt(i - 1));
        boolean nextLower = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
        if (i > 0 && (prevLower || nextLower) && camel.charAt(i - 1) != '_') {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  // ---- configuration ----------------------------------------------------------------------------

  /**
   * Keras's base layer config: {@code name}, {@code trainable} and {@code dtype} (Keras 3's {@code
   * DTypePolicy} object, {@code float32}); subclasses put their own keys after these, in Keras's
   * order, as Keras's {@code {**base_config, **config}}.
   */
  @Override
  public Config getConfig() {
    return new Config().put("name", name()).put("trainable", trainable).put("dtype", dtypePolicy(FLOAT32));
  }

  /**
   * Keras's {@code get_build_config()} of a built layer: {@code {"input_shape": [null, 28, 28, 1]}}
   * (unknown sizes as null), or the list of shapes of a layer called on several inputs (a merge
   * layer's {@code input_shape} list); null before the first apply.
   */
  @Override
  public Config getBuildConfig() {
    if (!built || inputShapes == null) {
      return null;
    }
    Object shape = inputShapes.size() == 1 ? kerasShape(inputShapes.get(0))
        : inputShapes.stream().map(Layer::kerasShape).toList();
    return new Config().put("input_shape", shape);
  }

  /** A shape as Keras writes it in configs: a list with null for unknown sizes. */
  public static List<Long> kerasShape(Shape shape) {
    List<Long> out = new ArrayList<>();
    for (long d : shape.asArray()) {
      out.add(d < 0 ? null : d);
    }
    return out;
  }

  /**
   * Keras 3's serialized dtype policy, {@code {"module": "keras", "class_name": "DTypePolicy",
   * "config": {"name": "float32"}, "registered_name": null}}.
   */
  public static Config dtypePolicy(String name) {
    return new Config().put("module", "keras").put("class_name", "DTypePolicy")
        .put("config", new Config().put("name", name)).put("registered_name", null);
  }

  /**
   * The name of a serialized dtype policy: a string ({@code "float32"}, as Keras 3.0 to 3.3 and
   * Keras 2 write it), a {@code DTypePolicy} object, or null (float32).
   */
  public static String dtypeName(Object dtype) {
    if (dtype == null) {
      return FLOAT32;
    }
    if (dtype instanceof Config policy) {
      Config inner = policy.getConfig("config");
      String name = inner == null ? null : inner.getString("name", null);
      if (name == null) {
        throw new IllegalArgumentException(
            "A dtype policy should be a string such as \"float32\" or a serialized DTypePolicy with"
                + " config.name; received: " + policy.toJson() + ".");
      }
      return name;
    }
    return String.valueOf(dtype);
  }

  /**
   * Finishes a subclass's {@code fromConfig}: reads Keras's base keys into {@code layer} ({@code
   * name}, {@code trainable}; {@code dtype}, float32 only; {@code activity_regularizer}, null only)
   * and then fails naming any key nobody read, as Keras's {@code cls(**config)} refuses an
   * unexpected keyword. Returns the layer.
   *
   * @throws IllegalArgumentException for another dtype policy or an unknown key, naming the layer
   */
  protected static <L extends Layer> L configured(L layer, Config config) {
    return configured(layer, config, FLOAT32);
  }

  /**
   * {@link #configured(Layer, Config)} for a layer that also accepts other dtype policies of
   * Keras's (e.g. Hashing's {@code "int64"}, whose values tfkeras outputs in float32).
   */
  protected static <L extends Layer> L configured(L layer, Config config, String... dtypes) {
    String dtype = dtypeName(config.get("dtype"));
    if (!List.of(dtypes).contains(dtype)) {
      throw new IllegalArgumentException(
          "Layer " + config.owner() + " has dtype policy '" + dtype + "'; tfkeras layers compute in"
              + " float32 and read only " + String.join(" or ", dtypes) + " layers for now.");
    }
    config.requireDefault("activity_regularizer");
    boolean trainable = config.getBoolean("trainable", true);
    String name = config.getString("name", null);
    try {
      config.checkAllRead();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Layer " + e.getMessage(), e);
    }
    if (name != null) {
      layer.name(name);
    }
    if (!trainable) {
      layer.setTrainable(false);
    }
    return layer;
  }

  // ---- eager calls: concrete data outside a traced function ------------------------------------

  private dev.tfkeras.function.EagerCall eagerCall;

  /**
   * Runs the layer or model on concrete data outside any traced function, in inference mode, as
   * Keras's {@code model(x)} runs eagerly: traced once per input signature and cached, so a loop of
   * calls stays fast. A layer used alone is built by its first call, as a top-level layer.
   *
   * @param x an {@code NdArray} (a tensor such as {@code TFloat32} included, fed as it is), a Java
   *     array ({@code float[][]}, {@code int[]}...) or a {@code List} of them for several inputs,
   *     the examples on the first axis, fed as one batch
   * @return the output, which the caller closes
   * @throws IllegalStateException inside a traced function (apply the symbolic operands there)
   */
  public final TFloat32 apply(Object x) {
    return apply(x, false);
  }

  /** {@link #apply(Object)} with the training flag, e.g. true for dropout to be active. */
  public final TFloat32 apply(Object x, boolean training) {
    return eagerCall().call(x, training);
  }

  /**
   * {@link #apply(Object)} with every output in its own dtype, as Keras's {@code layer(x)} returns
   * it: a {@code TFloat32}, a {@code TInt64} of a lookup's indices, a {@code TString} of a {@code
   * StringLookup} with {@code invert}. The caller closes the tensors.
   */
  public final List<org.tensorflow.types.family.TType> applyOutputs(Object x) {
    return eagerCall().callAll(x, false);
  }

  /** The traced functions behind the eager calls (and a model's {@code predict}), made on first use. */
  protected final synchronized dev.tfkeras.function.EagerCall eagerCall() {
    if (eagerCall == null) {
      eagerCall = new dev.tfkeras.function.EagerCall(isContainer() ? "predict" : "call", this::applyOutputs);
    }
    return eagerCall;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name() + "]";
  }
}
