package dev.tfkeras.layers.preprocessing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code StringLookup}: maps strings to integer indices through a vocabulary (see {@link
 * IndexLookup} for the layout, the options and the lifecycle). The OOV token defaults to {@code
 * "[UNK]"}; with several OOV indices, an unknown string's FarmHash picks one, as in Keras.
 *
 * <pre>{@code
 * StringLookup lookup = new StringLookup();
 * lookup.adapt(new String[] {"a", "a", "a", "b", "b", "c"});
 * lookup.getVocabulary();                  // [[UNK], a, b, c]
 * Sequential model = new Sequential(Input.of(TString.class, 1), lookup, ...);
 * }</pre>
 *
 * <p>Outputs int64 indices in {@code "int"} mode, as Keras's. With {@code invert} it maps indices
 * back to strings (Keras's OCR example's {@code num_to_char}): a model ending in it predicts
 * strings, {@code model.predictStrings(x)}.
 *
 * <pre>{@code
 * StringLookup toChar = new StringLookup().vocabulary(List.of("a", "b", "c")).invert(true);
 * KerasTensor ids = Input.of(TInt64.class, 2);
 * Model decode = Model.of(ids, toChar.apply(ids));
 * decode.predictStrings(new long[][] {{1, 2}, {3, 0}});   // {{a, b}, {c, [UNK]}}
 * }</pre>
 */
public class StringLookup extends IndexLookup<String, StringLookup> {

  /** A lookup whose vocabulary is set or adapted later, OOV token {@code "[UNK]"}. */
  public StringLookup() {
    super("[UNK]");
  }

  /** Keras's {@code StringLookup.from_config}: a layer configured as {@link #getConfig()} describes. */
  public static StringLookup fromConfig(dev.tfkeras.saving.Config config) {
    return new StringLookup().configure(config);
  }

  /** Keras's StringLookup leaves out {@code vocabulary_dtype}: nothing in its place. */
  @Override
  void addConfig(dev.tfkeras.saving.Config config) {}

  /** The lookup's config ({@link IndexLookup#getConfig()}), then Keras's {@code encoding} last. */
  @Override
  public dev.tfkeras.saving.Config getConfig() {
    return super.getConfig().put("encoding", "utf-8");
  }

  @Override
  void readConfig(dev.tfkeras.saving.Config config) {
    config.requireValue("encoding", "utf-8");
    config.ignore("vocabulary_dtype");
  }

  @Override
  Class<? extends TType> tokenType() {
    return TString.class;
  }

  @Override
  String token(Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException(
        "Layer '" + name() + "' looks up strings, received " + (value == null ? "null"
            : value.getClass().getSimpleName() + " " + value) + ". Pass string data (String[],"
            + " a TString tensor), or use IntegerLookup for integers.");
  }

  @Override
  String parse(String line) {
    return line;
  }

  @Override
  Object tokenArray(List<String> tokens) {
    return tokens.toArray(new String[0]);
  }

  @Override
  Object hostArray(List<?> tokens) {
    return tokens.stream().map(this::token).toArray(String[]::new);
  }

  /** NumPy compares the UTF-8 bytes of TensorFlow strings, unsigned. */
  @Override
  Comparator<String> tokenOrder() {
    return (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  @SuppressWarnings("unchecked")
  Operand<? extends TType> keys(Ops tf, Operand<?> input) {
    if (input.type() != TString.class) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" looks up strings, received a " + input.type().getSimpleName()
              + " input of shape " + format(input.shape()) + ". Give the model a string input,"
              + " Input.of(TString.class, 1), or use IntegerLookup for integer ids.");
    }
    return (Operand<TString>) input;
  }

  @Override
  Operand<? extends TType> constant(Ops tf, String token) {
    return tf.constant(token);
  }

  @Override
  @SuppressWarnings("unchecked")
  Operand<TBool> equal(Ops tf, Operand<? extends TType> keys, String token) {
    return tf.math.equal((Operand<TString>) keys, tf.constant(token));
  }

  @Override
  @SuppressWarnings("unchecked")
  Operand<TInt64> oovBuckets(Ops tf, Operand<? extends TType> keys, int n) {
    return tf.strings.toHashBucketFast((Operand<TString>) keys, (long) n);
  }
}
