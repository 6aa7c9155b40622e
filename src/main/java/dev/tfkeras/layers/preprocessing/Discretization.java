package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import dev.tfkeras.utils.HostArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code Discretization}: buckets continuous values by {@code binBoundaries}, value x going
 * to bin i where {@code boundaries[i-1] <= x < boundaries[i]} (NumPy's {@code digitize}, TF's
 * {@code Bucketize}), then encodes the bin index as {@code "int"} (default), {@code "one_hot"},
 * {@code "multi_hot"} or {@code "count"} over {@code boundaries.length + 1} bins.
 *
 * <p>Boundaries are given ({@link #withBinBoundaries}) or learned by {@link #adapt} for {@link
 * #withNumBins num bins} with Keras's own approximate quantile summary ({@link QuantileSummary},
 * tolerance {@link #epsilon}, default 0.01), so the boundaries equal Keras's for the same data.
 *
 * <p>The {@code "int"} output is int32 bin indices, as Keras's ({@link Layer#applyOutputs}, {@code
 * predictNdArrays}; {@code apply} gives them as float32); the other modes float32. Differences
 * from Keras: dense output only ({@code sparse=False}); the
 * boundaries are a setting, not a weight, so a model saved with {@code saveWeights} does not carry
 * adapted boundaries (Keras keeps them in the layer's config).
 */
public class Discretization extends Layer {

  private float[] binBoundaries;
  private final Integer numBins;
  private double epsilon = 0.01;
  private String outputMode = "int";

  private Discretization(float[] binBoundaries, Integer numBins) {
    this.binBoundaries = binBoundaries;
    this.numBins = numBins;
  }

  /** Keras's {@code Discretization(bin_boundaries=[...])}: sorted boundaries, n + 1 bins. */
  public static Discretization withBinBoundaries(double... binBoundaries) {
    Objects.requireNonNull(binBoundaries, "binBoundaries");
    float[] bounds = new float[binBoundaries.length];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = (float) binBoundaries[i];
      if (i > 0 && !(bounds[i] >= bounds[i - 1])) {
        throw new IllegalArgumentException(
            "`bin_boundaries` must be sorted in increasing order. Received: bin_boundaries="
                + Arrays.toString(binBoundaries));
      }
    }
    return new Discretization(bounds, null);
  }

  /**
   * Keras's {@code Discretization(num_bins=n)}: boundaries of n bins of about equal counts, learned
   * by {@link #adapt}.
   *
   * @throws IllegalArgumentException if {@code numBins < 0}
   */
  public static Discretization withNumBins(int numBins) {
    if (numBins < 0) {
      throw new IllegalArgumentException(
          "`num_bins` must be greater than or equal to 0. Received: `num_bins=" + numBins + "`");
    }
    return new Discretization(null, numBins);
  }

  /** The error tolerance of the adapted quantiles (Keras's {@code epsilon}, default 0.01); returns this. */
  public Discretization epsilon(double epsilon) {
    checkNotBuilt("epsilon");
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new IllegalArgumentException("`epsilon` must be in (0, 1). Received: epsilon=" + epsilon);
    }
    this.epsilon = epsilon;
    return this;
  }

  /**
   * {@code "int"} (default), {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}; returns
   * this.
   */
  public Discretization outputMode(String outputMode) {
    checkNotBuilt("outputMode");
    if (!CategoricalOutput.MODES.contains(outputMode)) {
      throw new IllegalArgumentException(
          "Unknown value for `output_mode` argument of Discretization. Allowed values are: ('int',"
              + " 'one_hot', 'multi_hot', 'count'). Received: output_mode=" + outputMode);
    }
    this.outputMode = outputMode;
    return this;
  }

  /** The boundaries, given or adapted, or null before {@code adapt}. */
  public float[] binBoundaries() {
    return binBoundaries == null ? null : binBoundaries.clone();
  }

  /**
   * Learns the boundaries of {@code numBins} bins from every value of {@code data}, Keras's {@code
   * adapt}: a {@link Dataset} (its inputs, batch by batch) or a host array ({@code float[]}, {@code
   * double[][]}, an {@code NdArray}...). A second adapt starts over.
   *
   * @throws IllegalStateException if the layer was given its boundaries, or is already built
   */
  public void adapt(Object data) {
    Objects.requireNonNull(data, "data");
    if (numBins == null) {
      throw new IllegalStateException(
          "Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, use"
              + " `num_bins` instead.");
    }
    if (isBuilt()) {
      throw new IllegalStateException(
          "Layer '" + name() + "' was already applied with its boundaries; adapt it before its first"
              + " apply (the boundaries are part of the traced computation).");
    }
    QuantileSummary summary = new QuantileSummary(epsilon);
    if (data instanceof Dataset dataset) {
      for (Batch batch : dataset) {
        try (batch) {
          summary.add(floats((NdArray<?>) batch.features()));
        }
      }
    } else {
      summary.add(floats(HostArrays.asNdArray(data, "a Dataset or data to adapt on")));
    }
    binBoundaries = summary.isEmpty() ? new float[0] : summary.binBoundaries(numBins);
  }

  private static float[] floats(NdArray<?> array) {
    double[] values = HostArrays.toDoubles(array);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
    return out;
  }

  /**
   * Buckets the input (cast to float32, Keras's {@code input_dtype}): int32 bin indices in {@code
   * "int"} mode, as Keras's {@code output_dtype}, float32 rows in the other modes.
   */
  @Override
  protected Operand<?> call(List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes one input of values to bucket, received " + inputs.size() + ".");
    }
    if (binBoundaries == null) {
      throw new IllegalStateException(
          "You need to either pass the `bin_boundaries` argument at construction time or call"
              + " `adapt(dataset)` before you can start using the `Discretization` layer.");
    }
    var tf = tf();
    List<Float> bounds = new ArrayList<>(binBoundaries.length);
    for (float b : binBoundaries) bounds.add(b);
    Operand<TInt32> bins = tf.bucketize(asFloat(inputs.get(0)), bounds);
    return outputMode.equals("int") ? bins : CategoricalOutput.encode(tf, bins, outputMode, binBoundaries.length + 1, null);
  }

  /**
   * Keras's {@code Discretization.get_config}: {@code bin_boundaries} (given or adapted, or null),
   * {@code num_bins}, {@code epsilon}, {@code output_mode}, {@code sparse} (false), {@code name},
   * {@code dtype} (the string "float32", the layer's dtype, whatever the output mode, as Keras writes it), and no {@code trainable}, as Keras writes it.
   */
  @Override
  public Config getConfig() {
    return new Config()
        .put("bin_boundaries", binBoundaries)
        .put("num_bins", numBins)
        .put("epsilon", epsilon)
        .put("output_mode", outputMode)
        .put("sparse", false)
        .put("name", name())
        .put("dtype", "float32");
  }

  /**
   * Keras's {@code Discretization.from_config}: given boundaries, or a number of bins to adapt (both
   * after an adapt: the boundaries are then the adapted ones); dtype float32 (as Keras writes it), or int64 or int32 (as
   * older files may), all read as the same layer.
   */
  public static Discretization fromConfig(Config config) {
    double[] bounds = config.getDoubles("bin_boundaries");
    Long numBins = config.getLongOrNull("num_bins");
    if (bounds == null && numBins == null) {
      throw config.invalid("bin_boundaries", "a list of boundaries, or `num_bins` set");
    }
    Discretization layer = bounds != null ? withBinBoundaries(bounds) : withNumBins(Math.toIntExact(numBins));
    Discretization out = new Discretization(layer.binBoundaries, numBins == null ? null : Math.toIntExact(numBins))
        .epsilon(config.getDouble("epsilon", 0.01))
        .outputMode(config.getString("output_mode", "int"));
    if (config.getBoolean("sparse", false)) {
      throw config.invalid("sparse", "false: tfkeras's Discretization gives dense output");
    }
    return configured(out, config, "float32", "int64", "int32");
  }
}
