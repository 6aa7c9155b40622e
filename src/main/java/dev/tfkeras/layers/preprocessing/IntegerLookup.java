package dev.tfkeras.layers.preprocessing;

import java.util.Comparator;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code IntegerLookup}: maps integers (int64 vocabulary; int32 and float inputs are cast)
 * to indices through a vocabulary (see {@link IndexLookup} for the layout, the options and the
 * lifecycle). The OOV token defaults to {@code -1}; with several OOV indices, an unknown value
 * {@code v} goes to {@code floormod(v, numOovIndices)}, as Keras's default {@code oov_method}.
 * Outputs int64 indices in {@code "int"} mode, as Keras's; with {@code invert}, indices map back
 * to the vocabulary's int64 values.
 */
public class IntegerLookup extends IndexLookup<Long, IntegerLookup> {

  /** A lookup whose vocabulary is set or adapted later, OOV token {@code -1}. */
  public IntegerLookup() {
    super(-1L);
  }

  /** {@link #maskToken(Object)} for an int. Returns this. */
  public IntegerLookup maskToken(long maskToken) {
    maskToken(Long.valueOf(maskToken));
    return this;
  }

  /** {@link #oovToken(Object)} for an int. Returns this. */
  public IntegerLookup oovToken(long oovToken) {
    oovToken(Long.valueOf(oovToken));
    return this;
  }

  /** {@link #vocabulary(java.util.Collection)} from ints. Returns this. */
  public IntegerLookup vocabulary(long... vocabulary) {
    vocabulary(java.util.Arrays.stream(vocabulary).boxed().toList());
    return this;
  }

  /** Keras's {@code IntegerLookup.from_config}: a layer configured as {@link #getConfig()} describes. */
  public static IntegerLookup fromConfig(dev.tfkeras.saving.Config config) {
    return new IntegerLookup().configure(config);
  }

  @Override
  void addConfig(dev.tfkeras.saving.Config config) {
    config.put("vocabulary_dtype", "int64");
  }

  @Override
  void readConfig(dev.tfkeras.saving.Config config) {
    config.requireValue("vocabulary_dtype", "int64");
  }

  @Override
  Class<? extends TType> tokenType() {
    return TInt64.class;
  }

  @Override
  Long token(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
      return number.longValue();
    }
    throw new IllegalArgumentException(
        "Layer '" + name() + "' looks up integers, received " + (value == null ? "null"
            : value.getClass().getSimpleName() + " " + value) + ". Pass integer data (long[], int[]),"
            + " or use StringLookup for strings.");
  }

  @Override
  Long parse(String line) {
    return Long.parseLong(line.strip());
  }

  @Override
  Object tokenArray(List<Long> tokens) {
    return tokens.stream().mapToLong(Long::longValue).toArray();
  }

  @Override
  Object hostArray(List<?> tokens) {
    return tokens.stream().mapToLong(this::token).toArray();
  }

  @Override
  Comparator<Long> tokenOrder() {
    return Comparator.naturalOrder();
  }

  @Override
  Operand<? extends TType> keys(Ops tf, Operand<?> input) {
    if (input.type() == TString.class || input.type() == TBool.class) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" looks up integers, received a " + input.type().getSimpleName()
              + " input of shape " + format(input.shape()) + ". Use StringLookup for strings.");
    }
    return asInt64(tf, input);
  }

  @Override
  Operand<? extends TType> constant(Ops tf, Long token) {
    return tf.constant(token.longValue());
  }

  @Override
  @SuppressWarnings("unchecked")
  Operand<TBool> equal(Ops tf, Operand<? extends TType> keys, Long token) {
    return tf.math.equal((Operand<TInt64>) keys, tf.constant(token.longValue()));
  }

  @Override
  @SuppressWarnings("unchecked")
  Operand<TInt64> oovBuckets(Ops tf, Operand<? extends TType> keys, int n) {
    return tf.math.floorMod((Operand<TInt64>) keys, tf.constant((long) n));
  }
}
