package dev.tfkeras.layers;

import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Initializers;
import dev.tfkeras.initializers.Ones;
import dev.tfkeras.initializers.Zeros;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Settings shared by {@link BatchNormalization} and {@link LayerNormalization}, with Keras's
 * defaults: {@code epsilon} 1e-3, a learned offset {@code beta} ({@code center}) and scale {@code
 * gamma} ({@code scale}) and their initializers (zeros, ones).
 *
 * @param <L> the concrete layer, returned by the settings
 */
public abstract class NormalizationBase<L extends NormalizationBase<L>> extends Layer {

  double epsilon = 1e-3;
  private boolean center = true;
  private boolean scale = true;
  private Initializer betaInitializer = new Zeros();
  private Initializer gammaInitializer = new Ones();
  private Variable<TFloat32> gamma;
  private Variable<TFloat32> beta;

  NormalizationBase() {}

  @SuppressWarnings("unchecked")
  private L self() {
    return (L) this;
  }

  /** Added to the variance before the square root (default 1e-3); returns this. */
  public L epsilon(double epsilon) {
    checkNotBuilt("epsilon");
    this.epsilon = epsilon;
    return self();
  }

  /** Whether to add the learned offset {@code beta} (default true); returns this. */
  public L center(boolean center) {
    checkNotBuilt("center");
    this.center = center;
    return self();
  }

  /** Whether to multiply by the learned scale {@code gamma} (default true); returns this. */
  public L scale(boolean scale) {
    checkNotBuilt("scale");
    this.scale = scale;
    return self();
  }

  /**
   * {@link #betaInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "zeros"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L betaInitializer(String identifier) {
    return betaInitializer(Initializers.get(identifier));
  }

  /** Initializer of {@code beta} (default zeros); returns this. */
  public L betaInitializer(Initializer initializer) {
    checkNotBuilt("betaInitializer");
    this.betaInitializer = Objects.requireNonNull(initializer, "initializer");
    return self();
  }

  /**
   * {@link #gammaInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "ones"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public L gammaInitializer(String identifier) {
    return gammaInitializer(Initializers.get(identifier));
  }

  /** Initializer of {@code gamma} (default ones); returns this. */
  public L gammaInitializer(Initializer initializer) {
    checkNotBuilt("gammaInitializer");
    this.gammaInitializer = Objects.requireNonNull(initializer, "initializer");
    return self();
  }

  /** The learned scale, or null when {@code scale(false)}. Valid after the first apply. */
  public Variable<TFloat32> gamma() {
    requireBuilt();
    return gamma;
  }

  /** The learned offset, or null when {@code center(false)}. Valid after the first apply. */
  public Variable<TFloat32> beta() {
    requireBuilt();
    return beta;
  }

  /** Creates {@code gamma} and {@code beta} of {@code shape}, as the settings ask; in build. */
  final void addGammaAndBeta(Shape shape) {
    if (scale) {
      gamma = addWeight("gamma", shape, gammaInitializer, true);
    }
    if (center) {
      beta = addWeight("beta", shape, betaInitializer, true);
    }
  }

  /** The gamma variable or null, for {@code call}. */
  final Variable<TFloat32> gammaVariable() {
    return gamma;
  }

  /** The beta variable or null, for {@code call}. */
  final Variable<TFloat32> betaVariable() {
    return beta;
  }

  /** Added to the variance before the square root. */
  public double epsilon() {
    return epsilon;
  }

  /** Whether the learned offset {@code beta} is added. */
  public boolean center() {
    return center;
  }

  /** Whether the output is multiplied by the learned scale {@code gamma}. */
  public boolean scale() {
    return scale;
  }

  /** The initializer of {@code beta} (Keras's {@code beta_initializer}). */
  public Initializer betaInitializer() {
    return betaInitializer;
  }

  /** The initializer of {@code gamma} (Keras's {@code gamma_initializer}). */
  public Initializer gammaInitializer() {
    return gammaInitializer;
  }

  /**
   * Reads {@code epsilon}, {@code center}, {@code scale} and the initializers of beta and gamma
   * with Keras's defaults; regularizers and constraints of beta and gamma, which tfkeras's
   * normalization layers do not take, are accepted only as null. Returns this.
   */
  final L readNormalizationSettings(Config config) {
    epsilon(config.getDouble("epsilon", 1e-3));
    center(config.getBoolean("center", true));
    scale(config.getBoolean("scale", true));
    betaInitializer(Configs.initializer(config, "beta_initializer", betaInitializer));
    gammaInitializer(Configs.initializer(config, "gamma_initializer", gammaInitializer));
    config.requireDefault("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
    return self();
  }
}
