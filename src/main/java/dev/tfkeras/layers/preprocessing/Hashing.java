package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code Hashing}: hashes strings or integers into {@code numBins} bins with TensorFlow's
 * FarmHash Fingerprint64 ({@code tf.strings.to_hash_bucket_fast}), or with keyed SipHash ({@code
 * to_hash_bucket_strong}) when a {@link #salt} is set. Numbers are hashed as Keras hashes them:
 * floats cast to int64, then every number turned into its decimal string ({@code tf.as_string}),
 * so the bins equal Keras's for the same inputs. With a {@link #maskValue}, bin 0 is reserved for
 * it and the other values hash into bins 1..numBins-1.
 *
 * <p>The bins are encoded as {@code "int"} (default), {@code "one_hot"}, {@code "multi_hot"} or
 * {@code "count"}. {@code "int"} gives int64 bin indices, as Keras's; the other modes float32.
 */
public class Hashing extends Layer {

  private final int numBins;
  private Object maskValue;
  private long[] salt;
  private String outputMode = "int";

  /**
   * @throws IllegalArgumentException if {@code numBins <= 0}
   */
  public Hashing(int numBins) {
    if (numBins <= 0) {
      throw new IllegalArgumentException(
          "The `num_bins` for `Hashing` cannot be `None` or non-positive values. Received: num_bins="
              + numBins + ".");
    }
    this.numBins = numBins;
  }

  /** A string input value that goes to bin 0, which no other value takes; returns this. */
  public Hashing maskValue(String maskValue) {
    checkNotBuilt("maskValue");
    this.maskValue = maskValue;
    return this;
  }

  /** An integer input value that goes to bin 0, which no other value takes; returns this. */
  public Hashing maskValue(long maskValue) {
    checkNotBuilt("maskValue");
    this.maskValue = maskValue;
    return this;
  }

  /** Keras's {@code salt=s}: SipHash keyed with {@code [s, s]}; returns this. */
  public Hashing salt(long salt) {
    return salt(salt, salt);
  }

  /** Keras's {@code salt=[a, b]}: SipHash keyed with {@code [a, b]}; returns this. */
  public Hashing salt(long first, long second) {
    checkNotBuilt("salt");
    this.salt = new long[] {first, second};
    return this;
  }

  /** {@code "int"} (default), {@code "one_hot"}, {@code "multi_hot"} or {@code "count"}; returns this. */
  public Hashing outputMode(String outputMode) {
    checkNotBuilt("outputMode");
    if (!CategoricalOutput.MODES.contains(outputMode)) {
      throw new IllegalArgumentException(
          "Invalid value for argument `output_mode`. Expected one of ('int', 'one_hot', 'multi_hot',"
              + " 'count'). Received: output_mode=" + outputMode);
    }
    this.outputMode = outputMode;
    return this;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Operand<?> call(List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes one input of values to hash, received " + inputs.size() + ".");
    }
    Ops tf = tf();
    Operand<? extends TType> values = (Operand<? extends TType>) inputs.get(0);
    int rank = values.shape().numDimensions();
    if (outputMode.equals("one_hot") && rank > 0 && values.shape().get(rank - 1) == 1) {
      values = tf.squeeze(values, Squeeze.axis(List.of(-1L)));
    }
    Operand<TInt64> bins = hashToBins(tf, values);
    return outputMode.equals("int") ? bins : CategoricalOutput.encode(tf, bins, outputMode, numBins, null);
  }

  @SuppressWarnings("unchecked")
  private Operand<TInt64> hashToBins(Ops tf, Operand<? extends TType> values) {
    long hashBins = numBins;
    Operand<TBool> mask = null;
    if (maskValue != null && hashBins > 1) {
      hashBins -= 1;
      mask = equalsMask(tf, values);
    }
    if (values.type() == TFloat32.class || values.type() == TFloat64.class) {
      values = tf.dtypes.cast(values, TInt64.class);
    }
    Operand<TString> strings =
        values.type() == TString.class ? (Operand<TString>) values : tf.dtypes.asString(values);
    Operand<TInt64> bins =
        salt != null
            ? tf.strings.toHashBucketStrong(strings, hashBins, List.of(salt[0], salt[1]))
            : tf.strings.toHashBucketFast(strings, hashBins);
    if (mask != null) {
      bins = tf.math.add(bins, tf.onesLike(bins));
      bins = tf.select(mask, tf.zerosLike(bins), bins);
    }
    return bins;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Operand<TBool> equalsMask(Ops tf, Operand<? extends TType> values) {
    if (values.type() == TString.class) {
      if (!(maskValue instanceof String text)) {
        throw new IllegalArgumentException(
            "Layer \"" + name() + "\" hashes strings, but its mask_value is the number " + maskValue
                + "; give a string mask value.");
      }
      return tf.math.equal((Operand<TString>) values, tf.constant(text));
    }
    if (!(maskValue instanceof Long number)) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" hashes numbers, but its mask_value is the string \"" + maskValue
              + "\"; give a number mask value.");
    }
    Operand cast = tf.dtypes.cast(tf.constant(number), (Class) values.type());
    return tf.math.equal((Operand) values, cast);
  }

  /**
   * Keras's {@code Hashing.get_config}: {@code num_bins}, {@code salt} ({@code [a, b]} or null),
   * {@code mask_value}, {@code output_mode}, {@code sparse} (false); the dtype policy int64 for
   * {@code "int"} output (its int64 bin indices), float32 for the others.
   */
  @Override
  public Config getConfig() {
    Config config = super.getConfig();
    if (outputMode.equals("int")) {
      config.put("dtype", dtypePolicy("int64"));
    }
    return config
        .put("num_bins", numBins)
        .put("salt", salt)
        .put("mask_value", maskValue)
        .put("output_mode", outputMode)
        .put("sparse", false);
  }

  /**
   * Keras's {@code Hashing.from_config}: {@code salt} an integer or two; dtype int64 (Keras's
   * default for {@code "int"} output; int32 is read as int64 too).
   */
  public static Hashing fromConfig(Config config) {
    Hashing layer = new Hashing(config.getInt("num_bins", 0)).outputMode(config.getString("output_mode", "int"));
    Object salt = config.get("salt");
    if (salt instanceof Number) {
      layer.salt(config.getLong("salt", 0));
    } else if (salt != null) {
      long[] pair = config.getLongs("salt");
      if (pair.length != 2) {
        throw config.invalid("salt", "an integer or a list of two integers");
      }
      layer.salt(pair[0], pair[1]);
    }
    Object mask = config.get("mask_value");
    if (mask instanceof String text) {
      layer.maskValue(text);
    } else if (mask != null) {
      layer.maskValue(config.getLong("mask_value", 0));
    }
    if (config.getBoolean("sparse", false)) {
      throw config.invalid("sparse", "false: tfkeras's Hashing gives dense output");
    }
    return configured(layer, config, "float32", "int64", "int32");
  }
}
