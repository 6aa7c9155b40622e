/**
 * Keras 3 files in and out: {@link dev.tfkeras.saving.keras.KerasFiles#load} ({@code
 * keras.models.load_model}), {@link dev.tfkeras.saving.keras.KerasFiles#save} ({@code
 * model.save("x.keras")}) and the weights-only {@code .weights.h5} files ({@code
 * save_weights}/{@code load_weights}). {@link dev.tfkeras.saving.keras.KerasArchive} opens a file
 * (zip with {@code metadata.json}, {@code config.json}, {@code model.weights.h5}); {@link
 * dev.tfkeras.saving.keras.KerasLayers} maps each Keras {@code class_name} to a tfkeras layer and
 * {@link dev.tfkeras.saving.keras.KerasConfigWriter} back (a model's config is its own {@code
 * getConfig()}: {@code Sequential}, {@code Functional}, or a registered subclassed model's); {@link
 * dev.tfkeras.saving.keras.KerasModelReader} rebuilds the model ({@code Model.fromJson} too), custom
 * classes through {@link dev.tfkeras.saving.CustomObjects}; {@code KerasWeights} places weights and
 * optimizer state by Keras's structure ({@code layers/<snake_case class>[_n]/vars/<i>} in a
 * Sequential or functional model, in Keras's layer order; {@code <layer name>/vars/<i>} in a
 * subclassed model; a recurrent layer's at {@code .../cell/vars/<i>}; {@code optimizer/vars/<i>});
 * {@code KerasCompile} reads and writes {@code compile_config}.
 *
 * <p>Older files are read too, told apart by their bytes and metadata: legacy HDF5 full models
 * ({@code model.save("m.h5")} in tf.keras 2.x or Keras 3) by {@code KerasLegacyH5}, their Keras 2
 * configs rewritten by {@code KerasLegacyConfig}; tf.keras 2.13+ {@code .keras} files (Keras 2
 * configs, and in 2.13 weights under {@code _layer_checkpoint_dependencies/}) as Keras 3 reads them.
 */
package dev.tfkeras.saving.keras;
