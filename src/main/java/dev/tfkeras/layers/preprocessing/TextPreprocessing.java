package dev.tfkeras.layers.preprocessing;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.strings.StringNGrams;
import org.tensorflow.op.strings.StringSplit;
import org.tensorflow.op.strings.UnicodeDecode;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * {@link TextVectorization}'s {@code _preprocess} as graph ops: standardize, split, then n-grams,
 * giving each input string's tokens as a ragged batch (flat tokens and row splits). The same ops
 * run in the layer's call and in {@code adapt}, so both see the same tokens.
 */
final class TextPreprocessing {

  /** Keras's punctuation pattern, {@code r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'}. */
  static final String PUNCTUATION = "[!\"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~\\']";

  /** Tokens of a batch of documents: row {@code r} is {@code values[splits[r]:splits[r + 1]]}. */
  record Ragged(Operand<TString> values, Operand<TInt64> splits) {

    /** The row of each value, for per-row reductions. */
    Operand<TInt64> rowIds(Ops tf) {
      Operand<TInt64> ends = tf.reshape(tf.slice(splits, tf.constant(new long[] {1}), tf.constant(new long[] {-1})), tf.constant(new long[] {1, -1}));
      Operand<TInt64> positions = tf.reshape(tf.range(tf.constant(0L), tf.size(values, TInt64.class), tf.constant(1L)), tf.constant(new long[] {1, -1}));
      return tf.reshape(tf.upperBound(ends, positions, TInt64.class), tf.constant(new long[] {-1}));
    }

    /** The number of rows. */
    Operand<TInt64> rows(Ops tf) {
      return tf.math.sub(tf.size(splits, TInt64.class), tf.constant(1L));
    }
  }

  private final Object standardize;
  private final String split;
  private final long[] ngrams;

  /**
   * @param standardize a mode name, a {@link TextVectorization.Standardize} or null
   * @param split {@code "whitespace"}, {@code "character"} or null
   * @param ngrams the n-gram widths, or null
   */
  TextPreprocessing(Object standardize, String split, long[] ngrams) {
    this.standardize = standardize;
    this.split = split;
    this.ngrams = ngrams;
  }

  /** The tokens of {@code input}: strings of shape (batch,) or (batch, 1) (or (batch, n) unsplit). */
  Ragged tokens(Ops tf, Operand<TString> input, String layerName) {
    Operand<TString> text = standardized(tf, input);
    int rank = text.shape().numDimensions();
    Ragged ragged;
    if (split == null) {
      if (rank == 0) {
        text = tf.reshape(text, tf.constant(new long[] {1, 1}));
      } else if (rank == 1) {
        text = tf.expandDims(text, tf.constant(-1));
      } else if (rank > 2) {
        throw new IllegalArgumentException(
            "Layer \"" + layerName + "\" without `split` takes strings of shape (batch,) or (batch,"
                + " tokens), received shape " + dev.tfkeras.utils.Shapes.format(input.shape()) + ".");
      }
      Operand<TInt64> width = tf.gather(tf.shape(text, TInt64.class), tf.constant(1), tf.constant(0));
      Operand<TInt64> size = tf.size(text, TInt64.class);
      ragged = new Ragged(tf.reshape(text, tf.constant(new long[] {-1})), tf.range(tf.constant(0L), tf.math.add(size, tf.constant(1L)), tf.math.maximum(width, tf.constant(1L))));
    } else {
      if (rank > 1) {
        if (text.shape().get(rank - 1) != 1 || rank > 2) {
          throw new IllegalArgumentException(
              "When using `TextVectorization` to tokenize strings, the input rank must be 1 or the"
                  + " last shape dimension must be 1. Received: inputs.shape="
                  + dev.tfkeras.utils.Shapes.format(input.shape()) + " with rank=" + rank);
        }
        text = tf.squeeze(text, Squeeze.axis(List.of(-1L)));
      } else if (rank == 0) {
        text = tf.expandDims(text, tf.constant(0));
      }
      ragged = split.equals("whitespace") ? whitespace(tf, text) : characters(tf, text);
    }
    if (ngrams != null) {
      List<Long> widths = java.util.Arrays.stream(ngrams).boxed().toList();
      StringNGrams<TInt64> grams = tf.strings.stringNGrams(ragged.values(), ragged.splits(), " ", widths, "", "", 0L, false);
      ragged = new Ragged(grams.ngrams(), grams.ngramsSplits());
    }
    return ragged;
  }

  @SuppressWarnings("unchecked")
  private Operand<TString> standardized(Ops tf, Operand<TString> text) {
    if ("lower".equals(standardize) || "lower_and_strip_punctuation".equals(standardize)) {
      text = tf.strings.lower(text);
    }
    if ("strip_punctuation".equals(standardize) || "lower_and_strip_punctuation".equals(standardize)) {
      text = tf.strings.staticRegexReplace(text, PUNCTUATION, "");
    }
    if (standardize instanceof TextVectorization.Standardize custom) {
      text = custom.apply(tf, text);
    }
    return text;
  }

  /** {@code tf.strings.split}: runs of whitespace separate tokens, leading and trailing ones dropped. */
  private static Ragged whitespace(Ops tf, Operand<TString> text) {
    StringSplit parts = tf.strings.stringSplit(text, tf.constant(""));
    Operand<TInt64> rowIds = tf.reshape(tf.slice(parts.indices(), tf.constant(new long[] {0, 0}), tf.constant(new long[] {-1, 1})), tf.constant(new long[] {1, -1}));
    Operand<TInt64> rows = tf.gather(parts.shape(), tf.constant(0), tf.constant(0));
    Operand<TInt64> boundaries = tf.reshape(tf.range(tf.constant(0L), tf.math.add(rows, tf.constant(1L)), tf.constant(1L)), tf.constant(new long[] {1, -1}));
    Operand<TInt64> splits = tf.reshape(tf.lowerBound(rowIds, boundaries, TInt64.class), tf.constant(new long[] {-1}));
    return new Ragged(parts.values(), splits);
  }

  /** {@code tf.strings.unicode_split(text, "UTF-8")}: one token per character, bad bytes replaced. */
  private static Ragged characters(Ops tf, Operand<TString> text) {
    UnicodeDecode<TInt64> decoded = tf.strings.unicodeDecode(text, "UTF-8", TInt64.class);
    Operand<TInt32> codepoints = decoded.charValues();
    Operand<TInt64> one = tf.range(tf.constant(0L), tf.math.add(tf.size(codepoints, TInt64.class), tf.constant(1L)), tf.constant(1L));
    Operand<TString> chars = tf.strings.unicodeEncode(codepoints, one, "UTF-8");
    return new Ragged(chars, decoded.rowSplits());
  }
}
