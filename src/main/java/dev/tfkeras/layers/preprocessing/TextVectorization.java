package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.runtime.GraphRuntime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code TextVectorization}: turns raw strings into token indices or a bag of tokens, in
 * the graph. Each string is standardized ({@code "lower_and_strip_punctuation"} by default,
 * {@code "lower"}, {@code "strip_punctuation"}, none, or a {@link Standardize} of your own), split
 * ({@code "whitespace"} by default, {@code "character"}, or none), optionally turned into n-grams,
 * then looked up in a vocabulary (a {@link StringLookup} with mask token {@code ""}: index 0 is
 * padding, 1 is out-of-vocabulary).
 *
 * <p>Output: {@code "int"} gives the indices, padded with 0 (or truncated) to {@code
 * outputSequenceLength} when set, else to the longest string of the batch; {@code "multi_hot"},
 * {@code "count"} and {@code "tf_idf"} give one row of vocabulary-size width per string. The
 * indices are int64, as Keras's (an {@code Embedding} takes them), the rows float32.
 *
 * <pre>{@code
 * TextVectorization vectorize = new TextVectorization().maxTokens(20000).outputSequenceLength(100);
 * vectorize.adapt(trainTexts);                         // String[] or a Dataset of strings
 * Sequential model = new Sequential(Input.of(TString.class, 1), vectorize, new Embedding(20000, 16), ...);
 * model.fit(trainTexts, labels, ...);                   // raw strings in, as in Keras
 * }</pre>
 *
 * <p>The vocabulary is saved with the model (its lookup layer's {@code vocabulary.txt} asset).
 * Dense outputs only: Keras's {@code sparse} and {@code ragged} must stay false, and a custom
 * {@code split} is not supported.
 */
public class TextVectorization extends Layer implements dev.tfkeras.saving.Configurable {

  /** A custom standardization: string ops on a batch of strings, Keras's {@code standardize=fn}. */
  @FunctionalInterface
  public interface Standardize {
    /** The standardized strings, same shape as {@code text}; built with {@code tf}. */
    Operand<TString> apply(Ops tf, Operand<TString> text);
  }

  private static final List<String> STANDARDIZE = List.of("lower_and_strip_punctuation", "lower", "strip_punctuation");
  private static final List<String> SPLIT = List.of("whitespace", "character");

  private final StringLookup lookupLayer = new StringLookup().maskToken("");
  private Object standardize = "lower_and_strip_punctuation";
  private String split = "whitespace";
  private long[] ngrams;
  /** {@code ngrams} as given: an Integer, an int[] or null, for the config. */
  private Object ngramsArgument;
  private String outputMode = "int";
  private Integer outputSequenceLength;

  /** A layer with Keras's defaults, whose vocabulary is adapted or set later. */
  public TextVectorization() {}

  /**
   * {@code "lower_and_strip_punctuation"} (default), {@code "lower"}, {@code "strip_punctuation"}
   * or null for none. Returns this.
   *
   * @throws IllegalArgumentException for another name
   */
  public TextVectorization standardize(String standardize) {
    checkNotBuilt("standardize");
    if (standardize != null && !STANDARDIZE.contains(standardize)) {
      throw new IllegalArgumentException(
          "The `standardize` argument of layer TextVectorization received an invalid value `"
              + standardize + "`. Allowed values are: ('lower_and_strip_punctuation', 'lower',"
              + " 'strip_punctuation'), null, or a Standardize function.");
    }
    this.standardize = standardize;
    return this;
  }

  /** A custom standardization, run in the graph on every batch of strings. Returns this. */
  public TextVectorization standardize(Standardize standardize) {
    checkNotBuilt("standardize");
    this.standardize = Objects.requireNonNull(standardize, "standardize");
    return this;
  }

  /**
   * {@code "whitespace"} (default: runs of whitespace separate tokens), {@code "character"} (one
   * token per Unicode character) or null (each string is one token). Returns this.
   *
   * @throws IllegalArgumentException for another name
   */
  public TextVectorization split(String split) {
    checkNotBuilt("split");
    if (split != null && !SPLIT.contains(split)) {
      throw new IllegalArgumentException(
          "The `split` argument of layer TextVectorization received an invalid value `" + split
              + "`. Allowed values are: ('whitespace', 'character') or null.");
    }
    this.split = split;
    return this;
  }

  /**
   * Keras's {@code ngrams=n}: the 1-grams up to the n-grams of the tokens (joined by a space).
   * Returns this.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public TextVectorization ngrams(int n) {
    checkNotBuilt("ngrams");
    if (n < 1) {
      throw new IllegalArgumentException("`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams=" + n);
    }
    this.ngrams = java.util.stream.LongStream.rangeClosed(1, n).toArray();
    this.ngramsArgument = n;
    return this;
  }

  /** Keras's {@code ngrams=(2, 3)}: exactly these n-gram widths. Returns this. */
  public TextVectorization ngrams(int... widths) {
    checkNotBuilt("ngrams");
    if (widths.length == 0 || java.util.Arrays.stream(widths).anyMatch(w -> w < 1)) {
      throw new IllegalArgumentException(
          "`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams="
              + java.util.Arrays.toString(widths));
    }
    this.ngrams = java.util.Arrays.stream(widths).asLongStream().toArray();
    this.ngramsArgument = widths.clone();
    return this;
  }

  /** The largest vocabulary, padding and OOV indices included (default none). Returns this. */
  public TextVectorization maxTokens(int maxTokens) {
    checkNotBuilt("maxTokens");
    lookupLayer.maxTokens(maxTokens);
    return this;
  }

  /**
   * {@code "int"} (default), {@code "multi_hot"}, {@code "count"} or {@code "tf_idf"} (Keras's
   * {@code "one_hot"} too, on unsplit strings). Returns this.
   */
  public TextVectorization outputMode(String outputMode) {
    checkNotBuilt("outputMode");
    lookupLayer.outputMode(outputMode);
    this.outputMode = lookupLayer.outputMode();
    return this;
  }

  /**
   * The length of {@code "int"} outputs: longer token sequences are truncated, shorter ones padded
   * with 0 (default: the batch's longest). Returns this.
   *
   * @throws IllegalArgumentException if not positive
   */
  public TextVectorization outputSequenceLength(int length) {
    checkNotBuilt("outputSequenceLength");
    if (length < 1) {
      throw new IllegalArgumentException(
          "`output_sequence_length` must be either None or a positive integer when `output_mode` is"
              + " 'int'. Received: output_sequence_length=" + length);
    }
    this.outputSequenceLength = length;
    return this;
  }

  /** Whether encoded outputs have {@code maxTokens} columns (default false). Returns this. */
  public TextVectorization padToMaxTokens(boolean padToMaxTokens) {
    checkNotBuilt("padToMaxTokens");
    lookupLayer.padToMaxTokens(padToMaxTokens);
    return this;
  }

  /**
   * Keras's {@code sparse}; only false is supported.
   *
   * @throws UnsupportedOperationException for true
   */
  public TextVectorization sparse(boolean sparse) {
    lookupLayer.sparse(sparse);
    return this;
  }

  /**
   * Keras's {@code ragged}; only false is supported (outputs are padded).
   *
   * @throws UnsupportedOperationException for true
   */
  public TextVectorization ragged(boolean ragged) {
    if (ragged) {
      throw new UnsupportedOperationException(
          "TextVectorization cannot return ragged tensors in tfkeras (Keras's ragged=True): its"
              + " \"int\" outputs are padded with 0. Leave ragged at false, and set"
              + " outputSequenceLength for a fixed length.");
    }
    return this;
  }

  /** Keras's {@code vocabulary}: fixed tokens (no adapt), without or with {@code ""} and {@code "[UNK]"} first. Returns this. */
  public TextVectorization vocabulary(Collection<String> vocabulary) {
    checkOptions();
    lookupLayer.vocabulary(vocabulary);
    return this;
  }

  /** Keras's {@code vocabulary} with {@code idf_weights}, for {@code "tf_idf"}. Returns this. */
  public TextVectorization vocabulary(Collection<String> vocabulary, double[] idfWeights) {
    checkOptions();
    lookupLayer.vocabulary(vocabulary, idfWeights);
    return this;
  }

  /** Keras's {@code set_vocabulary}: replaces the vocabulary (see {@link IndexLookup#setVocabulary(Collection)}). */
  public void setVocabulary(Collection<String> vocabulary) {
    checkOptions();
    lookupLayer.setVocabulary(vocabulary);
  }

  /** Keras's {@code set_vocabulary(vocabulary, idf_weights)}. */
  public void setVocabulary(Collection<String> vocabulary, double[] idfWeights) {
    checkOptions();
    lookupLayer.setVocabulary(vocabulary, idfWeights);
  }

  /** The vocabulary, {@code ""} and {@code "[UNK]"} first in {@code "int"} mode: Keras's {@code get_vocabulary()}. */
  public List<String> getVocabulary() {
    return lookupLayer.getVocabulary();
  }

  /** The vocabulary with or without the special tokens. */
  public List<String> getVocabulary(boolean includeSpecialTokens) {
    return lookupLayer.getVocabulary(includeSpecialTokens);
  }

  /** The vocabulary's size, special tokens included: Keras's {@code vocabulary_size()}. */
  public int vocabularySize() {
    return lookupLayer.vocabularySize();
  }

  /** The idf weights of {@code "tf_idf"}, or null (see {@link IndexLookup#idfWeights()}). */
  public float[] idfWeights() {
    return lookupLayer.idfWeights();
  }

  public String outputMode() {
    return outputMode;
  }

  /** {@code outputSequenceLength}, or null when unset. */
  public Integer outputSequenceLength() {
    return outputSequenceLength;
  }

  private void checkOptions() {
    if (!outputMode.equals("int") && outputSequenceLength != null) {
      throw new IllegalArgumentException(
          "`output_sequence_length` must not be set if `output_mode` is not 'int'. Received"
              + " output_sequence_length=" + outputSequenceLength + ".");
    }
  }

  private TextPreprocessing preprocessing() {
    return new TextPreprocessing(standardize, split, ngrams);
  }

  // ---- config ----------------------------------------------------------------------------------

  /**
   * Keras's {@code get_config()}: {@code name}, {@code trainable}, {@code dtype}, {@code max_tokens}, {@code
   * standardize}, {@code split}, {@code ngrams}, {@code output_mode}, {@code
   * output_sequence_length}, {@code pad_to_max_tokens}, {@code sparse}, {@code ragged}, {@code
   * vocabulary} and {@code idf_weights} (as given as arguments), {@code encoding}, {@code
   * vocabulary_size}.
   *
   * @throws IllegalStateException for a custom {@link Standardize}, which has no config
   */
  @Override
  public dev.tfkeras.saving.Config getConfig() {
    if (standardize instanceof Standardize) {
      throw new IllegalStateException(
          "Layer '" + name() + "' standardizes with a custom function, which has no config and cannot"
              + " be saved in one. Save the weights (and vocabulary) with saveWeights instead.");
    }
    dev.tfkeras.saving.Config lookup = lookupLayer.getConfig();
    return super.getConfig().describes("TextVectorization")
        .put("max_tokens", lookup.get("max_tokens"))
        .put("standardize", standardize)
        .put("split", split)
        .put("ngrams", ngramsArgument)
        .put("output_mode", outputMode)
        .put("output_sequence_length", outputSequenceLength)
        .put("pad_to_max_tokens", lookup.get("pad_to_max_tokens"))
        .put("sparse", false)
        .put("ragged", false)
        .put("vocabulary", lookup.get("vocabulary"))
        .put("idf_weights", lookup.get("idf_weights"))
        .put("encoding", "utf-8")
        .put("vocabulary_size", lookup.get("vocabulary_size"));
  }

  /** Keras's {@code TextVectorization.from_config}: a layer configured as {@link #getConfig()} describes. */
  public static TextVectorization fromConfig(dev.tfkeras.saving.Config config) {
    TextVectorization layer = new TextVectorization();
    config.ignore("dtype");
    if (config.get("name") != null) {
      layer.name(config.getString("name", null));
    }
    layer.setTrainable(config.getBoolean("trainable", true));
    dev.tfkeras.saving.Config lookup = new dev.tfkeras.saving.Config().describes("TextVectorization")
        .put("max_tokens", config.get("max_tokens"))
        .put("mask_token", "")
        .put("output_mode", config.getString("output_mode", "int"))
        .put("pad_to_max_tokens", config.getBoolean("pad_to_max_tokens", false))
        .put("sparse", config.getBoolean("sparse", false))
        .put("vocabulary", config.get("vocabulary"))
        .put("idf_weights", config.get("idf_weights"))
        .put("vocabulary_size", config.get("vocabulary_size"));
    layer.standardize(config.getString("standardize", null));
    layer.split(config.getString("split", null));
    Object ngrams = config.get("ngrams");
    if (ngrams instanceof Number n) {
      layer.ngrams(n.intValue());
    } else if (ngrams != null) {
      layer.ngrams(java.util.Arrays.stream(config.getLongs("ngrams")).mapToInt(Math::toIntExact).toArray());
    }
    layer.outputMode(config.getString("output_mode", "int"));
    Object length = config.get("output_sequence_length");
    if (length != null) {
      layer.outputSequenceLength(((Number) length).intValue());
    }
    layer.ragged(config.getBoolean("ragged", false));
    config.requireValue("encoding", "utf-8");
    config.checkAllRead();
    layer.lookupLayer.configure(lookup);
    return layer;
  }

  /** Writes the vocabulary of the wrapped StringLookup ({@link IndexLookup#saveAssets}), as Keras's. */
  @Override
  public void saveAssets(java.nio.file.Path directory) throws java.io.IOException {
    lookupLayer.saveAssets(directory);
  }

  /** Reads the vocabulary {@link #saveAssets} wrote into the wrapped StringLookup, as Keras's. */
  @Override
  public void loadAssets(java.nio.file.Path directory) throws java.io.IOException {
    lookupLayer.loadAssets(directory);
  }

  // ---- adapt -----------------------------------------------------------------------------------

  /**
   * Learns the vocabulary from strings, Keras's {@code adapt}: each string is preprocessed as in a
   * call, and its tokens counted as one document; the {@code maxTokens} most frequent are kept
   * (ties broken by the tokens, descending). Streams a dataset batch by batch.
   *
   * @param data a {@link Dataset} of strings (its inputs; batched or not), or host strings: a
   *     {@code String[]}, a {@code String[][]} of one column, a {@code TString} or a {@code List}
   *     of strings
   * @throws IllegalStateException if the vocabulary was given with {@link #vocabulary}
   * @throws IllegalArgumentException for data that is not strings
   */
  public void adapt(Object data) {
    Objects.requireNonNull(data, "data");
    checkOptions();
    TokenCounts<String> counts = lookupLayer.newCounts();
    Dataset dataset =
        data instanceof Dataset given
            ? given
            : Dataset.fromTensorSlices(data instanceof List<?> list ? list.stream().map(String::valueOf).toArray(String[]::new) : data);
    Dataset batches = dataset.isBatched() ? dataset : dataset.batch(256);
    if (batches.featureCount() != 1) {
      throw new IllegalArgumentException(
          "adapt() reads the one input of each batch, and this dataset has " + batches.featureCount()
              + " inputs: " + batches.elementSpec() + ". Map it to the text to adapt on first.");
    }
    try (Graph graph = new Graph(); Session session = GraphRuntime.openSession(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TString> text = null;
      TextPreprocessing.Ragged tokens = null;
      for (Batch batch : batches) {
        try (batch) {
          TType features = batch.features();
          if (!(features instanceof TString strings)) {
            throw new IllegalArgumentException(
                "TextVectorization.adapt() takes strings, received " + features.type().getSimpleName()
                    + " of shape " + features.shape() + ". Pass String[] or a Dataset of strings.");
          }
          if (text == null) {
            // the batches' shape, batch axis open: the same static checks as a call
            long[] dims = strings.shape().asArray();
            if (dims.length > 0) {
              dims[0] = -1;
            }
            text = tf.placeholder(TString.class, Placeholder.shape(Shape.of(dims)));
            tokens = preprocessing().tokens(tf, text, name());
          }
          try (Result result = session.runner().feed(text, strings).fetch(tokens.values()).fetch(tokens.splits()).run()) {
            addDocuments((TString) result.get(0), (TInt64) result.get(1), counts);
          }
        }
      }
    }
    lookupLayer.learn(counts);
  }

  private static void addDocuments(TString values, TInt64 splits, TokenCounts<String> counts) {
    List<String> flat = new ArrayList<>((int) values.size());
    for (NdArray<String> scalar : values.scalars()) {
      flat.add(scalar.getObject());
    }
    long rows = splits.size() - 1;
    for (long r = 0; r < rows; r++) {
      counts.addDocument(flat.subList((int) splits.getLong(r), (int) splits.getLong(r + 1)));
    }
  }

  // ---- the graph -------------------------------------------------------------------------------

  @Override
  @SuppressWarnings("unchecked")
  protected Operand<?> call(List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes one input of strings, received " + inputs.size() + " inputs.");
    }
    Operand<?> input = inputs.get(0);
    if (input.type() != TString.class) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" vectorizes strings, received a " + input.type().getSimpleName()
              + " input of shape " + format(input.shape()) + ". Give the model a string input:"
              + " Input.of(TString.class, 1), fed String[].");
    }
    checkOptions();
    Ops tf = tf();
    TextPreprocessing.Ragged tokens = preprocessing().tokens(tf, (Operand<TString>) input, name());
    if (!lookupLayer.isBuilt()) {
      // Keras calls its StringLookup's call directly; here the lookup is applied once, so that it
      // is built as this layer's sublayer (its table and weights); its own output is not used.
      lookupLayer.applyOutputs(List.of(tokens.values()), training);
    }
    Operand<TInt64> ids = lookupLayer.lookup(tf, tokens.values());
    if (!outputMode.equals("int")) {
      return lookupLayer.encodeRows(tf, ids, tokens.rowIds(tf), tokens.rows(tf));
    }
    long length = outputSequenceLength == null ? -1 : outputSequenceLength;
    Operand<TInt64> dense =
        tf.ragged.raggedTensorToTensor(
            tf.constant(new long[] {-1, length}), ids, tf.constant(0L), List.of(tokens.splits()), List.of("ROW_SPLITS"));
    return dense;
  }

  /** Splitting takes one string per example: shape (batch,) or (batch, 1), as Keras checks. */
  @Override
  protected void validateInput(Shape inputShape) {
    if (split != null && inputShape.numDimensions() > 1
        && (inputShape.numDimensions() > 2 || inputShape.get(inputShape.numDimensions() - 1) != 1)) {
      throw new IllegalArgumentException(
          "When using `TextVectorization` to tokenize strings, the input rank must be 1 or the last"
              + " shape dimension must be 1. Received: inputs.shape=" + format(inputShape) + " with rank="
              + inputShape.numDimensions());
    }
  }
}
