package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code CategoryEncoding}: integer ids in [0, numTokens) to {@code "multi_hot"} (default),
 * {@code "one_hot"} or {@code "count"} rows of {@code numTokens} float32 columns; ids out of range
 * give no column. With {@code "count"}, an optional second input weights each id's count, Keras's
 * {@code layer(ids, count_weights=w)}: {@code layer.apply(List.of(ids, w), training)}.
 *
 * <p>Dense output only (Keras's {@code sparse=False}). Multi-hot and count reduce axis 1 of the
 * ids (axis 0 of a single vector of ids), as Keras does.
 */
public class CategoryEncoding extends Layer {

  private final int numTokens;
  private String outputMode = "multi_hot";

  /**
   * @param numTokens the number of ids, the size of the output's last axis
   * @throws IllegalArgumentException if {@code numTokens < 1}
   */
  public CategoryEncoding(int numTokens) {
    if (numTokens < 1) {
      throw new IllegalArgumentException("`num_tokens` must be >= 1. Received: num_tokens=" + numTokens + ".");
    }
    this.numTokens = numTokens;
  }

  /**
   * {@code "one_hot"}, {@code "multi_hot"} (default; Keras's old name {@code "binary"} too) or
   * {@code "count"}; returns this.
   *
   * @throws IllegalArgumentException for another mode
   */
  public CategoryEncoding outputMode(String outputMode) {
    checkNotBuilt("outputMode");
    String mode = "binary".equals(outputMode) ? "multi_hot" : outputMode;
    if (!List.of("count", "one_hot", "multi_hot").contains(mode)) {
      throw new IllegalArgumentException("Unknown arg for output_mode: " + outputMode);
    }
    this.outputMode = mode;
    return this;
  }

  public int numTokens() {
    return numTokens;
  }

  public String outputMode() {
    return outputMode;
  }

  @Override
  protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
    if (inputs.size() > 2) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes the ids and optionally their count weights, received "
              + inputs.size() + " inputs.");
    }
    Operand<TFloat32> countWeights = null;
    if (inputs.size() == 2) {
      if (!outputMode.equals("count")) {
        throw new IllegalArgumentException(
            "`count_weights` is not used when `output_mode` is not `'count'`. Received"
                + " `count_weights` of shape " + format(inputs.get(1).shape()) + ".");
      }
      countWeights = asFloat(inputs.get(1));
    }
    var tf = tf();
    return CategoricalOutput.encode(
        tf, CategoricalOutput.integerIds(tf, inputs.get(0)), outputMode, numTokens, countWeights);
  }

  /**
   * Keras's {@code CategoryEncoding.get_config}: {@code num_tokens}, {@code output_mode}; not its
   * {@code sparse} (false here), which Keras 3.0's CategoryEncoding refuses.
   */
  @Override
  public Config getConfig() {
    return super.getConfig().put("num_tokens", numTokens).put("output_mode", outputMode);
  }

  /** Keras's {@code CategoryEncoding.from_config}; sparse output is refused. */
  public static CategoryEncoding fromConfig(Config config) {
    if (!config.has("num_tokens")) {
      throw config.invalid("num_tokens", "the number of ids (an integer >= 1)");
    }
    CategoryEncoding layer = new CategoryEncoding(config.getInt("num_tokens", 0))
        .outputMode(config.getString("output_mode", "multi_hot"));
    if (config.getBoolean("sparse", false)) {
      throw config.invalid("sparse", "false: tfkeras's CategoryEncoding gives dense output");
    }
    return configured(layer, config);
  }
}
