package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Applies an activation function to its input, as Keras's {@code layers.Activation}: {@code new
 * Activation(Activation.RELU)} or {@code new Activation("relu")}. The static constants are Keras's
 * activation functions ({@link Activations}), so layers keep taking them as before: {@code new
 * Dense(128, Activation.RELU)}. Passes a Keras mask on; no weights.
 */
public class Activation extends Layer {

  /** Identity: no activation (logits). */
  public static final Activations LINEAR = Activations.LINEAR;
  /** {@code max(x, 0)}. */
  public static final Activations RELU = Activations.RELU;
  /** {@code min(max(x, 0), 6)}. */
  public static final Activations RELU6 = Activations.RELU6;
  /** {@code x}, or {@code 0.2 x} below 0. */
  public static final Activations LEAKY_RELU = Activations.LEAKY_RELU;
  /** {@code 1 / (1 + exp(-x))}. */
  public static final Activations SIGMOID = Activations.SIGMOID;
  /** Hyperbolic tangent. */
  public static final Activations TANH = Activations.TANH;
  /** Softmax over the last axis. */
  public static final Activations SOFTMAX = Activations.SOFTMAX;
  /** Log-softmax over the last axis. */
  public static final Activations LOG_SOFTMAX = Activations.LOG_SOFTMAX;
  /** Exponential linear unit. */
  public static final Activations ELU = Activations.ELU;
  /** Scaled exponential linear unit. */
  public static final Activations SELU = Activations.SELU;
  /** Gaussian error linear unit (exact). */
  public static final Activations GELU = Activations.GELU;
  /** {@code x * sigmoid(x)}. */
  public static final Activations SILU = Activations.SILU;
  /** Keras's alias of {@link #SILU}. */
  public static final Activations SWISH = Activations.SILU;
  /** {@code log(exp(x) + 1)}. */
  public static final Activations SOFTPLUS = Activations.SOFTPLUS;
  /** {@code x / (|x| + 1)}. */
  public static final Activations SOFTSIGN = Activations.SOFTSIGN;
  /** {@code exp(x)}. */
  public static final Activations EXPONENTIAL = Activations.EXPONENTIAL;
  /** {@code relu6(x + 3) / 6}. */
  public static final Activations HARD_SIGMOID = Activations.HARD_SIGMOID;
  /** {@code x * hard_sigmoid(x)}. */
  public static final Activations HARD_SILU = Activations.HARD_SILU;
  /** Keras's alias of {@link #HARD_SILU}. */
  public static final Activations HARD_SWISH = Activations.HARD_SILU;
  /** {@code x * tanh(softplus(x))}. */
  public static final Activations MISH = Activations.MISH;
  /** {@code log(sigmoid(x))}. */
  public static final Activations LOG_SIGMOID = Activations.LOG_SIGMOID;

  private final ActivationFunction function;

  /** A layer applying {@code function}, e.g. {@code Activation.RELU} or {@code Activations.leakyRelu(0.1f)}. */
  public Activation(ActivationFunction function) {
    this.function = Objects.requireNonNull(function, "activation");
  }

  /**
   * A layer applying the activation Keras knows by {@code name}, e.g. {@code "relu"}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public Activation(String name) {
    this(Activations.get(Objects.requireNonNull(name, "activation")));
  }

  /** The function this layer applies. */
  public ActivationFunction function() {
    return function;
  }

  @Override
  protected boolean supportsMasking() {
    return true;
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    return function.apply(tf(), input);
  }

  /**
   * Keras's {@code Activation.get_config}: {@code activation} by name.
   *
   * @throws IllegalArgumentException if the function has no Keras name
   */
  @Override
  public Config getConfig() {
    return super.getConfig().put("activation", Configs.activation(this, function));
  }

  /** Keras's {@code Activation.from_config}. */
  public static Activation fromConfig(Config config) {
    if (!config.has("activation")) {
      throw config.invalid("activation", "an activation's name (e.g. \"relu\")");
    }
    return configured(new Activation(Configs.activation(config, "activation", Activations.LINEAR)), config);
  }
}
