package dev.tfkeras.runtime;

/** Where a runtime places its ops. */
public enum Device {
  /** TensorFlow's own choice: the first GPU when the native library has one, else the CPU. */
  AUTO,
  /** The CPU only, even when a GPU is visible. */
  CPU,
  /** The first GPU; ops without a GPU kernel fall back to the CPU. Fails if no GPU is visible. */
  GPU
}
