/**
 * Keras 3 files in and out: {@link dev.tfkeras.saving.keras.KerasFiles#load} ({@code
 * keras.models.load_model}), {@link dev.tfkeras.saving.keras.KerasFiles#save} ({@code
 * model.save("x.keras")}) and the weights-only {@code .weights.h5} files ({@code
 * save_weights}/{@code load_weights}). {@link dev.tfkeras.saving.keras.KerasArchive} opens a file
 * (zip with {@code metadata.json}, {@code config.json}, {@code model.weights.h5}); {@link
 * dev.tfkeras.saving.keras.KerasLayers} maps each Keras {@code class_name} to a tfkeras layer and
 * {@code KerasConfigWriter} back; {@link dev.tfkeras.saving.keras.KerasModelReader} builds the model;
 * {@code KerasWeights} places weights and optimizer state by Keras's structure ({@code
 * layers/<snake_case class>[_n]/vars/<i>}, {@code optimizer/vars/<i>}); {@code KerasCompile} reads
 * and writes {@code compile_config}.
 */
package dev.tfkeras.saving.keras;
