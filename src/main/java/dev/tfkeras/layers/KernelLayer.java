package dev.tfkeras.layers;

import dev.tfkeras.constraints.Constraint;
import dev.tfkeras.constraints.Constraints;
import dev.tfkeras.initializers.GlorotUniform;
import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Initializers;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.regularizers.Regularizer;
import dev.tfkeras.regularizers.Regularizers;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A layer with a kernel and an optional bias (Dense, the convolutions), holding Keras's settings
 * for both: {@code use_bias}, initializers (Glorot uniform kernel, zero bias), regularizers and
 * constraints. Settings return the layer itself, so they chain: {@code new Dense(64).useBias(false)}.
 *
 * @param <L> the concrete layer, returned by the settings
 */
public abstract class KernelLayer<L extends KernelLayer<L>> extends Layer {

  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Regularizer kernelRegularizer;
  private Regularizer biasRegularizer;
  private Constraint kernelConstraint;
  private Constraint biasConstraint;
  private Variable<TFloat32> kernel;
  private Variable<TFloat32> bias;

  @SuppressWarnings("unchecked")
  private L self() {
    return (L) this;
  }

  /** Whether to add a bias (default true); returns this. */
  public L useBias(boolean useBias) {
    checkNotBuilt("useBias");
    this.useBias = useBias;
    return self();
  }

  /**
   * {@link #kernelInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "he_normal"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L kernelInitializer(String identifier) {
    return kernelInitializer(Initializers.get(identifier));
  }

  /** Kernel initializer (default Glorot uniform); returns this. */
  public L kernelInitializer(Initializer initializer) {
    checkNotBuilt("kernelInitializer");
    this.kernelInitializer = Objects.requireNonNull(initializer, "initializer");
    return self();
  }

  /**
   * {@link #biasInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "zeros"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L biasInitializer(String identifier) {
    return biasInitializer(Initializers.get(identifier));
  }

  /** Bias initializer (default zeros); returns this. */
  public L biasInitializer(Initializer initializer) {
    checkNotBuilt("biasInitializer");
    this.biasInitializer = Objects.requireNonNull(initializer, "initializer");
    return self();
  }

  /**
   * {@link #kernelRegularizer(Regularizer)} by Keras's identifier, e.g. {@code "l2"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L kernelRegularizer(String identifier) {
    return kernelRegularizer(Regularizers.get(identifier));
  }

  /**
   * Penalty on the kernel, added to the loss (Keras's {@code kernel_regularizer}); null for none;
   * returns this.
   */
  public L kernelRegularizer(Regularizer regularizer) {
    checkNotBuilt("kernelRegularizer");
    this.kernelRegularizer = regularizer;
    return self();
  }

  /**
   * {@link #biasRegularizer(Regularizer)} by Keras's identifier, e.g. {@code "l1"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L biasRegularizer(String identifier) {
    return biasRegularizer(Regularizers.get(identifier));
  }

  /**
   * Penalty on the bias, added to the loss (Keras's {@code bias_regularizer}); null for none;
   * returns this.
   */
  public L biasRegularizer(Regularizer regularizer) {
    checkNotBuilt("biasRegularizer");
    this.biasRegularizer = regularizer;
    return self();
  }

  /**
   * {@link #kernelConstraint(Constraint)} by Keras's identifier,
   * e.g. {@code "max_norm"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L kernelConstraint(String identifier) {
    return kernelConstraint(Constraints.get(identifier));
  }

  /**
   * Projection of the kernel after each optimizer update (Keras's {@code kernel_constraint}); null
   * for none; returns this.
   */
  public L kernelConstraint(Constraint constraint) {
    checkNotBuilt("kernelConstraint");
    this.kernelConstraint = constraint;
    return self();
  }

  /**
   * {@link #biasConstraint(Constraint)} by Keras's identifier,
   * e.g. {@code "non_neg"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L biasConstraint(String identifier) {
    return biasConstraint(Constraints.get(identifier));
  }

  /**
   * Projection of the bias after each optimizer update (Keras's {@code bias_constraint}); null for
   * none; returns this.
   */
  public L biasConstraint(Constraint constraint) {
    checkNotBuilt("biasConstraint");
    this.biasConstraint = constraint;
    return self();
  }

  /** The kernel; valid after the first apply. */
  public Variable<TFloat32> kernel() {
    requireBuilt();
    return kernel;
  }

  /** The bias, or null with {@code useBias(false)}; valid after the first apply. */
  public Variable<TFloat32> bias() {
    requireBuilt();
    return bias;
  }

  /** Creates the weights {@code kernel} and, unless {@code useBias(false)}, {@code bias}; in build. */
  protected final void addKernelAndBias(Shape kernelShape, long biasSize) {
    kernel = addWeight("kernel", kernelShape, kernelInitializer, true, kernelRegularizer, kernelConstraint);
    if (useBias) {
      bias = addWeight("bias", Shape.of(biasSize), biasInitializer, true, biasRegularizer, biasConstraint);
    }
  }

  /** The kernel variable, for {@code call}. */
  protected final Variable<TFloat32> kernelVariable() {
    return kernel;
  }

  /** The bias variable, null without a bias, for {@code call}. */
  protected final Variable<TFloat32> biasVariable() {
    return bias;
  }

  /** Whether the layer adds a bias (Keras's {@code use_bias}). */
  public boolean useBias() {
    return useBias;
  }

  /** The kernel's initializer (Keras's {@code kernel_initializer}). */
  public Initializer kernelInitializer() {
    return kernelInitializer;
  }

  /** The bias's initializer (Keras's {@code bias_initializer}). */
  public Initializer biasInitializer() {
    return biasInitializer;
  }

  /** The kernel's regularizer, or null (Keras's {@code kernel_regularizer}). */
  public Regularizer kernelRegularizer() {
    return kernelRegularizer;
  }

  /** The bias's regularizer, or null (Keras's {@code bias_regularizer}). */
  public Regularizer biasRegularizer() {
    return biasRegularizer;
  }

  /** The kernel's constraint, or null (Keras's {@code kernel_constraint}). */
  public Constraint kernelConstraint() {
    return kernelConstraint;
  }

  /** The bias's constraint, or null (Keras's {@code bias_constraint}). */
  public Constraint biasConstraint() {
    return biasConstraint;
  }

  /**
   * Puts Keras's keys of these settings, in Keras's order: {@code use_bias}, the initializers, the
   * regularizers (then {@code activity_regularizer}, null, where Keras writes it), the constraints.
   */
  final Config putKernelSettings(Config config, boolean activityRegularizer) {
    config.put("use_bias", useBias)
        .put("kernel_initializer", kernelInitializer)
        .put("bias_initializer", biasInitializer)
        .put("kernel_regularizer", kernelRegularizer)
        .put("bias_regularizer", biasRegularizer);
    if (activityRegularizer) {
      config.putNull("activity_regularizer");
    }
    return config.put("kernel_constraint", kernelConstraint).put("bias_constraint", biasConstraint);
  }

  /** Reads the keys of {@link #putKernelSettings} with Keras's defaults; returns this. */
  final L readKernelSettings(Config config) {
    useBias(config.getBoolean("use_bias", true));
    kernelInitializer(Configs.initializer(config, "kernel_initializer", kernelInitializer));
    biasInitializer(Configs.initializer(config, "bias_initializer", biasInitializer));
    kernelRegularizer(Configs.regularizer(config, "kernel_regularizer"));
    biasRegularizer(Configs.regularizer(config, "bias_regularizer"));
    kernelConstraint(Configs.constraint(config, "kernel_constraint"));
    biasConstraint(Configs.constraint(config, "bias_constraint"));
    // LoRA and quantization (Keras 3.x's Dense, EinsumDense, Embedding, convolutions): not in tfkeras
    config.requireDefault("lora_rank", "lora_alpha", "quantization_config");
    return self();
  }
}
