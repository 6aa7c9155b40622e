/**
 * Keras 3 {@code .keras} files read into tfkeras models: {@link dev.tfkeras.saving.keras.KerasFiles#load}
 * ({@code keras.models.load_model}). {@link dev.tfkeras.saving.keras.KerasArchive} opens the file
 * (zip with {@code metadata.json}, {@code config.json}, {@code model.weights.h5}), {@link
 * dev.tfkeras.saving.keras.KerasLayers} maps each Keras {@code class_name} to a tfkeras layer, and
 * {@link dev.tfkeras.saving.keras.KerasModelReader} builds the model and loads its weights by
 * Keras's structure ({@code layers/<snake_case class>[_n]/vars/<i>}).
 */
package dev.tfkeras.saving.keras;
