package dev.tfkeras.saving;

/**
 * An object that can be rebuilt from its configuration, as Keras's serializable objects (layers,
 * models, optimizers, losses, metrics, initializers, regularizers, constraints, learning-rate
 * schedules): {@link #getConfig()} gives Keras's keys, and each class has a static {@code
 * fromConfig(Config)} that builds an equal object from them (new weights, no state).
 *
 * <p>{@link Serialization#serialize} wraps the config as Keras writes an object into a file
 * ({@code module}, {@code class_name}, {@code config}, {@code registered_name}); {@link
 * Serialization#deserialize} reads it back, through {@link CustomObjects} for classes of your own.
 */
public interface Configurable {

  /** This object's configuration, with Keras's key names (Keras's {@code get_config()}). */
  Config getConfig();

  /**
   * What Keras's {@code get_build_config()} gives (a built layer's input shape), written beside the
   * config as {@code build_config}; null when there is none.
   */
  default Config getBuildConfig() {
    return null;
  }
}
