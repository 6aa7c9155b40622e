package dev.tfkeras.layers.preprocessing;

import dev.tfkeras.data.Batch;
import dev.tfkeras.data.Dataset;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.io.PartFile;
import dev.tfkeras.layers.Layer;
import dev.tfkeras.variables.LookupTable;
import dev.tfkeras.variables.Variable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code IndexLookup}, the base of {@link StringLookup} and {@link IntegerLookup}: maps
 * tokens to indices through a vocabulary held in a TensorFlow hash table ({@link LookupTable}),
 * so the lookup runs in the graph and in exported SavedModels.
 *
 * <p>The indices are laid out as Keras lays them out: the mask token at 0 (only when it is set and
 * {@code outputMode} is {@code "int"}), then {@code numOovIndices} out-of-vocabulary indices, then
 * the vocabulary. A token outside the vocabulary gets the OOV index (with several, its hash picks
 * one; with none, the call fails naming it).
 *
 * <p>Lifecycle: options are set before the first call. The vocabulary is given ({@link
 * #vocabulary}, {@link #setVocabulary}) or learned by {@link #adapt}, before or after the first
 * call (for {@code "one_hot"}, {@code "multi_hot"}, {@code "count"} and {@code "tf_idf"} without
 * {@code padToMaxTokens} its size is fixed by the first call, as in Keras). The vocabulary is saved
 * with the model as the asset {@code vocabulary.txt} (Keras's format: one token a line, special
 * tokens included); {@code tf_idf}'s weights are the non-trainable weight {@code idf_weights}.
 *
 * <p>Outputs have Keras's dtypes: int64 indices in {@code "int"} mode, the vocabulary's tokens
 * (strings or int64) with {@code invert}, float32 in the other modes; {@code apply} and {@code
 * applyAll} give int64 indices as float32, {@link Layer#applyOutputs} as they are. Dense outputs
 * only (Keras's {@code sparse=False}).
 *
 * @param <K> the token type: {@code String} or {@code Long}
 * @param <L> the layer's own class, which the option setters return
 */
public abstract class IndexLookup<K, L extends IndexLookup<K, L>> extends Layer
    implements dev.tfkeras.saving.Configurable {

  private static final List<String> OUTPUT_MODES = List.of("int", "one_hot", "multi_hot", "count", "tf_idf");
  /** The name of the vocabulary asset, Keras's. */
  public static final String VOCABULARY_FILE = "vocabulary.txt";

  private Integer maxTokens;
  private int numOovIndices = 1;
  private K maskToken;
  private K oovToken;
  private final K defaultOovToken;
  private boolean invert;
  private String outputMode = "int";
  private boolean padToMaxTokens;
  private boolean hasInputVocabulary;
  private List<K> inputVocabulary;
  private double[] inputIdfWeights;

  // the vocabulary (without special tokens) and tf_idf's weights, once given or adapted
  private List<K> tokens;
  private boolean tokensFromArgument;
  private float[] idfWeights;
  private Integer frozenVocabularySize;

  // build()
  private LookupTable table;
  private Variable<TFloat32> idfVariable;

  /** @param oovToken the default OOV token ({@code "[UNK]"} or {@code -1}) */
  protected IndexLookup(K oovToken) {
    this.oovToken = oovToken;
    this.defaultOovToken = oovToken;
  }

  @SuppressWarnings("unchecked")
  private L self() {
    return (L) this;
  }

  // ---- options ---------------------------------------------------------------------------------

  /**
   * The largest vocabulary size, special tokens included (Keras's {@code max_tokens}, default
   * none); {@code adapt} keeps the most frequent tokens. Returns this.
   *
   * @throws IllegalArgumentException if {@code maxTokens <= 1}
   */
  public L maxTokens(int maxTokens) {
    checkNotBuilt("maxTokens");
    if (maxTokens <= 1) {
      throw new IllegalArgumentException(
          "If set, `max_tokens` must be greater than 1. Received: max_tokens=" + maxTokens);
    }
    this.maxTokens = maxTokens;
    return self();
  }

  /**
   * How many indices out-of-vocabulary tokens share (default 1): with several, a token's hash
   * picks one; with 0, an out-of-vocabulary input fails the call. Returns this.
   *
   * @throws IllegalArgumentException if negative
   */
  public L numOovIndices(int numOovIndices) {
    checkNotBuilt("numOovIndices");
    if (numOovIndices < 0) {
      throw new IllegalArgumentException(
          "`num_oov_indices` must be greater than or equal to 0. Received: num_oov_indices=" + numOovIndices);
    }
    this.numOovIndices = numOovIndices;
    return self();
  }

  /**
   * The token of masked inputs (default none): index 0 in {@code "int"} mode, dropped in the
   * other modes. Returns this.
   */
  public L maskToken(K maskToken) {
    checkNotBuilt("maskToken");
    this.maskToken = maskToken;
    return self();
  }

  /** The token {@code invert} returns for OOV indices and the vocabulary lists at them. Returns this. */
  public L oovToken(K oovToken) {
    checkNotBuilt("oovToken");
    this.oovToken = oovToken;
    return self();
  }

  /** Whether the layer maps indices back to tokens (default false; {@code "int"} mode only). Returns this. */
  public L invert(boolean invert) {
    checkNotBuilt("invert");
    this.invert = invert;
    return self();
  }

  /**
   * {@code "int"} (default), {@code "one_hot"}, {@code "multi_hot"}, {@code "count"} or {@code
   * "tf_idf"} (Keras's old names {@code "binary"} and {@code "tf-idf"} too). Returns this.
   *
   * @throws IllegalArgumentException for another mode
   */
  public L outputMode(String outputMode) {
    checkNotBuilt("outputMode");
    String mode = "binary".equals(outputMode) ? "multi_hot" : "tf-idf".equals(outputMode) ? "tf_idf" : outputMode;
    if (!OUTPUT_MODES.contains(mode)) {
      throw new IllegalArgumentException(
          "The `output_mode` argument of layer " + getClass().getSimpleName() + " received an invalid"
              + " value `" + outputMode + "`. Allowed values are: ('int', 'one_hot', 'multi_hot',"
              + " 'count', 'tf_idf').");
    }
    this.outputMode = mode;
    return self();
  }

  /**
   * Whether {@code "multi_hot"}, {@code "count"} and {@code "tf_idf"} outputs have {@code
   * maxTokens} columns whatever the vocabulary's size (default false). Returns this.
   */
  public L padToMaxTokens(boolean padToMaxTokens) {
    checkNotBuilt("padToMaxTokens");
    this.padToMaxTokens = padToMaxTokens;
    return self();
  }

  /**
   * Keras's {@code sparse}: only {@code false} is supported, tfkeras layers return dense tensors.
   *
   * @throws UnsupportedOperationException for {@code true}
   */
  public L sparse(boolean sparse) {
    if (sparse) {
      throw new UnsupportedOperationException(
          "Layer " + getClass().getSimpleName() + " cannot return sparse tensors in tfkeras (Keras's"
              + " sparse=True): its outputs are dense. Leave sparse at false.");
    }
    return self();
  }

  /**
   * Keras's {@code vocabulary} argument: the vocabulary, fixed (the layer cannot {@link #adapt}),
   * with or without the special tokens at its start. Returns this.
   *
   * @throws IllegalArgumentException as {@link #setVocabulary(Collection)}
   */
  public L vocabulary(Collection<K> vocabulary) {
    return vocabulary(vocabulary, null);
  }

  /** Keras's {@code vocabulary} and {@code idf_weights} arguments, for {@code "tf_idf"}. Returns this. */
  public L vocabulary(Collection<K> vocabulary, double[] idfWeights) {
    setVocabulary(vocabulary, idfWeights);
    tokensFromArgument = true;
    hasInputVocabulary = true;
    inputVocabulary = List.copyOf(vocabulary);
    inputIdfWeights = idfWeights == null ? null : idfWeights.clone();
    return self();
  }

  // ---- vocabulary ------------------------------------------------------------------------------

  /**
   * Sets the vocabulary, Keras's {@code set_vocabulary}: the tokens, optionally preceded by the
   * special tokens in the layer's order (mask, then OOV), which are then recognised and skipped.
   *
   * @throws IllegalArgumentException for an empty vocabulary, a repeated token, a special token
   *     elsewhere than at the start, more than {@code maxTokens}, or {@code tf_idf} without weights
   */
  public void setVocabulary(Collection<K> vocabulary) {
    setVocabulary(vocabulary, null);
  }

  /**
   * Sets the vocabulary and, for {@code "tf_idf"}, the inverse document frequency of each token
   * (Keras's {@code set_vocabulary(vocabulary, idf_weights)}): without the special tokens, their
   * weight is the mean of the given ones, as Keras pads it.
   */
  public void setVocabulary(Collection<K> vocabulary, double[] idfWeights) {
    Objects.requireNonNull(vocabulary, "vocabulary");
    checkOptions();
    if (outputMode.equals("tf_idf")) {
      if (idfWeights == null) {
        throw new IllegalArgumentException("`idf_weights` must be set if output_mode is 'tf_idf'.");
      }
    } else if (idfWeights != null) {
      throw new IllegalArgumentException(
          "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: output_mode="
              + outputMode + " and idf_weights=" + Arrays.toString(idfWeights));
    }
    List<K> given = new ArrayList<>(vocabulary);
    if (given.isEmpty()) {
      throw new IllegalArgumentException("Cannot set an empty vocabulary. Received: vocabulary=[]");
    }
    for (K token : given) {
      checkToken(token, "vocabulary");
    }
    List<K> special = specialTokens();
    boolean foundSpecial = given.size() >= special.size() && given.subList(0, special.size()).equals(special);
    List<K> words = foundSpecial ? new ArrayList<>(given.subList(special.size(), given.size())) : given;
    Set<K> seen = new HashSet<>();
    Set<K> repeated = new LinkedHashSet<>();
    for (K token : words) {
      if (!seen.add(token)) {
        repeated.add(token);
      }
    }
    if (!repeated.isEmpty()) {
      throw new IllegalArgumentException(
          "The passed vocabulary has at least one repeated term. Please uniquify your dataset. The"
              + " repeated terms are: " + format(new ArrayList<>(repeated)));
    }
    if (maskToken != null && words.contains(maskToken)) {
      throw new IllegalArgumentException(
          "Found reserved mask token at unexpected location in `vocabulary`. Note that passed"
              + " `vocabulary` does not need to include the OOV and mask tokens. Either remove all"
              + " mask and OOV tokens, or include them only at the start of the vocabulary in"
              + " precisely this order: " + format(special) + ". Received: mask_token="
              + maskToken + " at vocabulary index " + given.lastIndexOf(maskToken));
    }
    if (oovToken != null && invert && words.contains(oovToken)) {
      throw new IllegalArgumentException(
          "Found reserved OOV token at unexpected location in `vocabulary`. Note that passed"
              + " `vocabulary` does not need to include the OOV and mask tokens. Either remove all"
              + " mask and OOV tokens, or include them only at the start of the vocabulary in"
              + " precisely this order: " + format(special) + ". Received: oov_token=" + oovToken
              + " at vocabulary index " + given.lastIndexOf(oovToken));
    }
    int size = tokenStart() + words.size();
    if (maxTokens != null && size > maxTokens) {
      throw new IllegalArgumentException(
          "Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary"
              + " size is " + size + "; `max_tokens` is " + maxTokens + ".");
    }
    float[] idf = null;
    if (idfWeights != null) {
      if (idfWeights.length != given.size()) {
        throw new IllegalArgumentException(
            "`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                + idfWeights.length + "; len(vocabulary) is " + given.size());
      }
      double mean = Arrays.stream(idfWeights).average().orElse(0);
      idf = paddedIdf(idfWeights, foundSpecial ? 0 : tokenStart(), mean);
    }
    replaceVocabulary(words, idf);
  }

  /**
   * The idf weights with {@code front} entries of {@code frontValue} before them and, with {@code
   * padToMaxTokens}, zeros after them up to {@code maxTokens}, as Keras pads them.
   */
  private float[] paddedIdf(double[] weights, int front, double frontValue) {
    int length = front + weights.length;
    int total = padToMaxTokens && maxTokens != null ? Math.max(length, maxTokens) : length;
    float[] out = new float[total];
    Arrays.fill(out, 0, front, (float) frontValue);
    for (int i = 0; i < weights.length; i++) {
      out[front + i] = (float) weights[i];
    }
    return out;
  }

  private void replaceVocabulary(List<K> words, float[] idf) {
    int size = tokenStart() + words.size();
    if (frozenVocabularySize != null && fixedSize() && size != frozenVocabularySize) {
      throw new IllegalStateException(
          "When using `output_mode=" + outputMode + "` and `pad_to_max_tokens=False`, the vocabulary"
              + " size cannot be changed after the layer is called. Old vocab size is "
              + frozenVocabularySize + ", new vocab size is " + size);
    }
    tokens = List.copyOf(words);
    tokensFromArgument = false;
    idfWeights = idf;
    if (!isBuilt()) {
      frozenVocabularySize = size;
    }
    if (table != null) {
      fillTable();
    }
    if (idfVariable != null && idf != null) {
      try (TFloat32 value = TFloat32.tensorOf(Shape.of(idf.length), DataBuffers.of(idf, true, false))) {
        idfVariable.assign(value);
      }
    }
  }

  /** Whether the output's width is the vocabulary's size, fixed once called. */
  private boolean fixedSize() {
    return !outputMode.equals("int") && !padToMaxTokens;
  }

  /**
   * The vocabulary, Keras's {@code get_vocabulary()}: special tokens included, so that a token's
   * position is its index.
   */
  public List<K> getVocabulary() {
    return getVocabulary(true);
  }

  /**
   * The vocabulary, with the mask and OOV tokens at its start or without them (Keras's {@code
   * include_special_tokens}).
   */
  public List<K> getVocabulary(boolean includeSpecialTokens) {
    List<K> out = new ArrayList<>();
    if (includeSpecialTokens) {
      out.addAll(specialTokens());
    }
    if (tokens != null) {
      out.addAll(tokens);
    }
    return out;
  }

  /** The vocabulary's size, the mask and OOV indices included: Keras's {@code vocabulary_size()}. */
  public int vocabularySize() {
    return tokenStart() + (tokens == null ? 0 : tokens.size());
  }

  /** The mask token (in {@code "int"} mode) then the OOV tokens, as they open the vocabulary. */
  private List<K> specialTokens() {
    List<K> special = new ArrayList<>();
    for (int i = 0; i < oovStart(); i++) {
      special.add(maskToken);
    }
    for (int i = 0; i < numOovIndices; i++) {
      special.add(oovToken);
    }
    return special;
  }

  private int oovStart() {
    return maskToken != null && outputMode.equals("int") ? 1 : 0;
  }

  private int tokenStart() {
    return oovStart() + numOovIndices;
  }

  /** Keras's checks across options, made when they are used together. */
  private void checkOptions() {
    if (padToMaxTokens && maxTokens == null) {
      throw new IllegalArgumentException(
          "If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=None");
    }
    if (invert && !outputMode.equals("int")) {
      throw new IllegalArgumentException(
          "`output_mode` must be `'int'` when `invert` is true. Received: output_mode=" + outputMode);
    }
  }

  // ---- adapt -----------------------------------------------------------------------------------

  /**
   * Learns the vocabulary from {@code data}, Keras's {@code adapt(data)}: every token counted, the
   * {@code maxTokens} most frequent kept (ties broken by the tokens, descending), the special
   * tokens left out; with {@code "tf_idf"}, each token's inverse document frequency too.
   *
   * @param data a {@link Dataset} (its inputs: each batch of a batched dataset is one document when
   *     it is a vector, else each of its rows is, as in Keras; each element of an unbatched one is
   *     a document), or host data: a Java array ({@code String[]}, {@code String[][]}, {@code
   *     long[]}...), an {@code NdArray} or a {@code List} of tokens, whose elements (rows) are the
   *     documents
   * @throws IllegalStateException if the layer was given its vocabulary ({@link #vocabulary})
   * @throws IllegalArgumentException if the data holds values of another type than the tokens
   */
  public void adapt(Object data) {
    Objects.requireNonNull(data, "data");
    TokenCounts<K> counts = newCounts();
    countDocuments(data, counts);
    learn(counts);
  }

  /** Empty counts for an adapt, after checking the layer may adapt. */
  TokenCounts<K> newCounts() {
    if (hasInputVocabulary) {
      throw new IllegalStateException(
          "Cannot adapt layer '" + name() + "' after setting a static vocabulary via `vocabulary`"
              + " argument or `set_vocabulary()` method.");
    }
    checkOptions();
    return new TokenCounts<>(outputMode.equals("tf_idf"));
  }

  /** The vocabulary (and tf_idf weights) from the counts of an adapt. */
  void learn(TokenCounts<K> counts) {
    if (counts.isEmpty()) {
      return; // Keras keeps the current vocabulary when adapt saw no token
    }
    counts.remove(maskToken);
    counts.remove(oovToken);
    List<K> words = counts.vocabulary(tokenOrder(), maxTokens == null ? -1 : maxTokens - tokenStart());
    float[] idf = null;
    if (outputMode.equals("tf_idf")) {
      float[] learned = counts.inverseDocumentFrequency(words);
      double mean = 0;
      for (float w : learned) {
        mean += w;
      }
      mean = learned.length == 0 ? 0 : (float) (mean / learned.length);
      double[] weights = new double[learned.length];
      for (int i = 0; i < learned.length; i++) {
        weights[i] = learned[i];
      }
      idf = paddedIdf(weights, tokenStart(), mean);
    }
    replaceVocabulary(words, idf);
  }

  /** Counts the documents of {@code data} (see {@link #adapt}); TextVectorization adds its own. */
  void countDocuments(Object data, TokenCounts<K> counts) {
    if (data instanceof Dataset dataset) {
      boolean batched = dataset.isBatched();
      Dataset batches = batched ? dataset : dataset.batch(256);
      if (batches.featureCount() != 1) {
        throw new IllegalArgumentException(
            "adapt() reads the one input of each batch, and this dataset has " + batches.featureCount()
                + " inputs: " + batches.elementSpec() + ". Map it to the input to adapt on first.");
      }
      for (Batch batch : batches) {
        try (batch) {
          NdArray<?> values = (NdArray<?>) batch.features();
          addDocuments(values, batched && values.shape().numDimensions() == 1, counts);
        }
      }
      return;
    }
    Dataset slices = Dataset.fromTensorSlices(data instanceof List<?> list ? hostArray(list) : data);
    countDocuments(slices, counts);
  }

  /** The documents of one batch: the whole batch when {@code oneDocument}, else each row. */
  private void addDocuments(NdArray<?> values, boolean oneDocument, TokenCounts<K> counts) {
    List<K> flat = tokensOf(values);
    int rank = values.shape().numDimensions();
    if (oneDocument || rank == 0) {
      counts.addDocument(flat);
      return;
    }
    int rows = (int) values.shape().get(0);
    int width = rows == 0 ? 0 : flat.size() / rows;
    for (int r = 0; r < rows; r++) {
      counts.addDocument(flat.subList(r * width, (r + 1) * width));
    }
  }

  /** Every value of {@code values}, row-major, as tokens. */
  private List<K> tokensOf(NdArray<?> values) {
    List<K> out = new ArrayList<>((int) values.size());
    for (NdArray<?> scalar : values.scalars()) {
      out.add(token(scalar.getObject()));
    }
    return out;
  }

  // ---- the graph -------------------------------------------------------------------------------

  @Override
  protected void build(Shape inputShape) {
    checkOptions();
    if (fixedSize() && frozenVocabularySize == null) {
      throw new IllegalStateException(
          "When using `output_mode=" + outputMode + "` and `pad_to_max_tokens=False`, you must set"
              + " the layer's vocabulary before calling it. Either pass a `vocabulary` argument to the"
              + " layer, or call `adapt` with some sample data.");
    }
    if (tokens != null || frozenVocabularySize == null) {
      frozenVocabularySize = vocabularySize(); // else the size a config gave, before its vocabulary loads
    }
    table =
        invert
            ? LookupTable.create(runtime(), tf(), "lookup_table", TInt64.class, tokenType())
            : LookupTable.create(runtime(), tf(), "lookup_table", tokenType(), TInt64.class);
    if (tokens != null) {
      fillTable();
    }
    if (outputMode.equals("tf_idf")) {
      float[] initial = idfWeights != null ? idfWeights : new float[depth()];
      idfVariable = addWeight("idf_weights", Shape.of(initial.length), Constant.values(initial), false);
    }
  }

  private void fillTable() {
    long[] indices = new long[tokens.size()];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = tokenStart() + i;
    }
    Object words = tokenArray(tokens);
    if (invert) {
      table.assign(indices, words);
    } else {
      table.assign(words, indices);
    }
  }

  /** The output width of the encoded modes. */
  private int depth() {
    return padToMaxTokens ? maxTokens : frozenVocabularySize;
  }

  /**
   * The lookup, in Keras's dtypes: int64 indices in {@code "int"} mode, the vocabulary's tokens
   * (strings, int64) with {@code invert}, float32 rows in the other modes.
   */
  @Override
  protected Operand<?> call(List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes one input of tokens, received " + inputs.size() + " inputs.");
    }
    Ops tf = tf();
    Operand<?> input = inputs.get(0);
    if (invert) {
      return invertIds(tf, invertKeys(input));
    }
    Operand<? extends TType> keys = keys(tf, input);
    int rank = keys.shape().numDimensions();
    if (rank == 0) {
      keys = tf.expandDims(keys, tf.constant(-1));
    }
    Operand<TInt64> ids = lookup(tf, keys);
    if (outputMode.equals("int")) {
      return rank == 0 ? tf.squeeze(ids) : ids;
    }
    return encode(tf, ids);
  }

  /** {@code invert}'s input as int64 indices: integers cast, as Keras's {@code ensure_tensor}. */
  private Operand<TInt64> invertKeys(Operand<?> input) {
    Class<?> type = input.type();
    if (type == TString.class || type == TBool.class) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" with invert maps integer indices back to tokens, received a "
              + input.type().getSimpleName() + " input of shape " + format(input.shape()) + ". Feed"
              + " it indices, such as a StringLookup's output or a model's argmax.");
    }
    return asInt64(tf(), input);
  }

  /** Keras's {@code _lookup_dense}: the indices of {@code keys}, masks and OOV tokens handled. */
  Operand<TInt64> lookup(Ops tf, Operand<? extends TType> keys) {
    long defaultValue = numOovIndices == 1 ? oovStart() : -1;
    Operand<TInt64> ids = table.find(tf, keys, tf.constant(defaultValue));
    if (maskToken != null) {
      long maskValue = outputMode.equals("int") ? 0 : Long.MAX_VALUE;
      Operand<TBool> masked = equal(tf, keys, maskToken);
      ids = tf.select(masked, tf.fill(tf.shape(ids, TInt64.class), tf.constant(maskValue)), ids);
    }
    if (numOovIndices == 0) {
      Operand<TBool> missing = tf.math.equal(ids, tf.constant(-1L));
      Operand<? extends TType> oov = tf.gatherNd(keys, tf.where(missing));
      AssertThat check =
          tf.assertThat(
              tf.math.logicalNot(tf.reduceAny(missing, tf.range(tf.constant(0), tf.rank(missing), tf.constant(1)))),
              List.of(
                  tf.constant("When `num_oov_indices=0` all inputs should be in vocabulary, found OOV"
                      + " values"),
                  oov,
                  tf.constant(", consider setting `num_oov_indices=1`.")));
      return tf.withControlDependencies(List.of(check)).identity(ids);
    }
    if (numOovIndices > 1) {
      Operand<TInt64> buckets = tf.math.add(oovBuckets(tf, keys, numOovIndices), tf.constant((long) oovStart()));
      ids = tf.select(tf.math.equal(ids, tf.constant(-1L)), buckets, ids);
    }
    return ids;
  }

  /** The ids encoded as {@code outputMode} (not {@code "int"}), tf_idf weighted. */
  Operand<TFloat32> encode(Ops tf, Operand<TInt64> ids) {
    String mode = outputMode.equals("tf_idf") ? "count" : outputMode;
    Operand<TFloat32> out = CategoricalOutput.encode(tf, ids, mode, depth(), null);
    return outputMode.equals("tf_idf") ? tf.math.mul(out, idfVariable.read(tf)) : out;
  }

  /** Per-row encoding of ragged ids (flat values with their row of each), for TextVectorization. */
  Operand<TFloat32> encodeRows(Ops tf, Operand<TInt64> ids, Operand<TInt64> rowIds, Operand<TInt64> rows) {
    Operand<TFloat32> hot = tf.oneHot(ids, tf.constant(depth()), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> counts = tf.math.unsortedSegmentSum(hot, rowIds, rows);
    return switch (outputMode) {
      case "multi_hot" -> tf.math.minimum(counts, tf.constant(1f));
      case "tf_idf" -> tf.math.mul(counts, idfVariable.read(tf));
      default -> counts;
    };
  }

  /**
   * {@code invert}, Keras's {@code _lookup_dense} with the table turned around: each index's token,
   * the OOV token for an index outside the vocabulary, the mask token at index 0 when there is one.
   */
  private Operand<? extends TType> invertIds(Ops tf, Operand<TInt64> ids) {
    Operand<? extends TType> tokens = table.find(tf, ids, constant(tf, oovToken != null ? oovToken : defaultOovToken));
    if (maskToken != null) {
      tokens = select(tf, tf.math.equal(ids, tf.constant(0L)), constant(tf, maskToken), tokens);
    }
    return tokens;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Operand<? extends TType> select(Ops tf, Operand<TBool> where, Operand<? extends TType> value, Operand<? extends TType> otherwise) {
    Operand filled = tf.fill(tf.shape(otherwise, TInt64.class), (Operand) value);
    return tf.select(where, filled, (Operand) otherwise);
  }

  @SuppressWarnings("unchecked")
  static Operand<TInt64> asInt64(Ops tf, Operand<?> input) {
    if (input.type() == TInt64.class) {
      return (Operand<TInt64>) input;
    }
    return tf.dtypes.cast((Operand<? extends TNumber>) input, TInt64.class);
  }

  // ---- assets ----------------------------------------------------------------------------------

  /**
   * Writes {@code vocabulary.txt} (one token a line, special tokens first, no final line break:
   * Keras's {@code save_assets}) into {@code directory}, atomically. A layer not adapted yet writes
   * its special tokens alone ({@code [UNK]}), as Keras does; a layer whose vocabulary is the one
   * given as an argument writes nothing, as Keras's, since its config holds it.
   */
  @Override
  public void saveAssets(Path directory) throws IOException {
    if (tokensFromArgument) {
      return;
    }
    for (K token : getVocabulary(true)) {
      if (String.valueOf(token).contains("\n")) {
        throw new IOException(
            "Cannot save the vocabulary of layer '" + name() + "': the token \"" + token + "\" holds a"
                + " line break, and vocabulary.txt has one token a line.");
      }
    }
    Files.createDirectories(directory);
    String text = String.join("\n", getVocabulary(true).stream().map(String::valueOf).toList());
    try (PartFile part = PartFile.create(directory.resolve(VOCABULARY_FILE))) {
      try (OutputStream out = part.output()) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      part.commit();
    }
  }

  /**
   * Reads the {@code vocabulary.txt} that {@link #saveAssets} wrote, keeping the {@code
   * idf_weights} already loaded.
   *
   * @throws IOException naming the file if it is missing or unreadable
   */
  @Override
  public void loadAssets(Path directory) throws IOException {
    Path file = directory.resolve(VOCABULARY_FILE);
    if (!Files.exists(file)) {
      if (tokens == null || tokensFromArgument) {
        return; // saved before it had a vocabulary, or the argument holds it
      }
      throw new IOException(
          "Cannot load the vocabulary of layer '" + name() + "': " + file + " is missing. Load from"
              + " the directory that save or saveWeights wrote for this model.");
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    List<K> words = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      try {
        words.add(parse(lines.get(i)));
      } catch (NumberFormatException e) {
        throw new IOException(file + ", line " + (i + 1) + ": expected an integer token, found \"" + lines.get(i) + "\".", e);
      }
    }
    List<K> special = specialTokens();
    if (words.size() >= special.size() && words.subList(0, special.size()).equals(special)) {
      words = words.subList(special.size(), words.size());
    }
    if (words.isEmpty() && tokens == null) {
      return; // saved before it was adapted: the special tokens alone, nothing learned
    }
    float[] idf = idfVariable == null ? idfWeights : readIdf();
    replaceVocabulary(words, idf);
  }

  private float[] readIdf() {
    try (TFloat32 value = idfVariable.value()) {
      float[] out = new float[(int) value.size()];
      value.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  // ---- accessors -------------------------------------------------------------------------------

  public String outputMode() {
    return outputMode;
  }

  public K maskToken() {
    return maskToken;
  }

  public K oovToken() {
    return oovToken;
  }

  public int numOovIndices() {
    return numOovIndices;
  }

  public boolean invert() {
    return invert;
  }

  public boolean padToMaxTokens() {
    return padToMaxTokens;
  }

  /** {@code maxTokens}, or null when unset. */
  public Integer maxTokens() {
    return maxTokens;
  }

  /**
   * The inverse document frequency weights of {@code "tf_idf"} (one per index, Keras's {@code
   * idf_weights}), or null before they are given or learned.
   */
  public float[] idfWeights() {
    return idfVariable != null ? readIdf() : idfWeights == null ? null : idfWeights.clone();
  }

  // ---- config ----------------------------------------------------------------------------------

  /**
   * Keras's {@code get_config()}: {@code name}, {@code trainable}, {@code dtype}, then the lookup's keys ({@code
   * invert}, {@code max_tokens}, {@code num_oov_indices}, {@code oov_token}, {@code mask_token},
   * {@code output_mode}, {@code sparse}, {@code pad_to_max_tokens}, {@code idf_weights}, {@code
   * vocabulary} (the one given as an argument, else null: an adapted vocabulary is an asset),
   * {@code vocabulary_size}; {@code oov_method} and {@code salt}, which Keras 3.14 added, are read
   * but not written at their defaults).
   */
  @Override
  public dev.tfkeras.saving.Config getConfig() {
    dev.tfkeras.saving.Config config = super.getConfig().describes(getClass().getSimpleName());
    config.put("invert", invert).put("max_tokens", maxTokens)
        .put("num_oov_indices", numOovIndices).put("oov_token", oovToken).put("mask_token", maskToken)
        .put("output_mode", outputMode).put("sparse", false).put("pad_to_max_tokens", padToMaxTokens);
    addConfig(config);
    return config.put("idf_weights", inputIdfWeights)
        .put("vocabulary", inputVocabulary == null ? null : new ArrayList<>(inputVocabulary))
        .put("vocabulary_size", tokens != null ? Integer.valueOf(vocabularySize()) : frozenVocabularySize);
    // oov_method and salt (Keras 3.14+, which older Keras 3 refuses) are left out at their defaults
  }

  /** The subclass's own keys ({@code vocabulary_dtype}, {@code encoding}). */
  abstract void addConfig(dev.tfkeras.saving.Config config);

  /**
   * Applies a config that {@link #getConfig()} (or Keras) wrote to this new layer, as Keras's
   * {@code from_config}: the options, then the vocabulary given as an argument, or only the
   * vocabulary's size, so that encoded outputs build before the vocabulary asset is loaded.
   */
  final L configure(dev.tfkeras.saving.Config config) {
    config.ignore("dtype");
    if (config.get("name") != null) {
      name(config.getString("name", null));
    }
    setTrainable(config.getBoolean("trainable", true));
    invert(config.getBoolean("invert", false));
    Object max = config.get("max_tokens");
    if (max != null) {
      maxTokens(((Number) max).intValue());
    }
    numOovIndices(config.getInt("num_oov_indices", 1));
    if (config.containsKey("oov_token")) {
      Object oov = config.get("oov_token");
      oovToken(oov == null ? null : token(oov));
    }
    if (config.containsKey("mask_token")) {
      Object mask = config.get("mask_token");
      maskToken(mask == null ? null : token(mask));
    }
    outputMode(config.getString("output_mode", "int"));
    sparse(config.getBoolean("sparse", false));
    padToMaxTokens(config.getBoolean("pad_to_max_tokens", false));
    config.requireValue("oov_method", "floormod");
    config.requireDefault("salt");
    readConfig(config);
    double[] idf = config.getDoubles("idf_weights");
    List<Object> vocabulary = config.getList("vocabulary");
    Long size = config.getLongOrNull("vocabulary_size");
    if (vocabulary != null) {
      vocabulary(vocabulary.stream().map(this::token).toList(), idf);
    } else if (size != null) {
      frozenVocabularySize = size.intValue();
    }
    config.checkAllRead();
    return self();
  }

  /** Reads the subclass's own keys. */
  abstract void readConfig(dev.tfkeras.saving.Config config);

  // ---- token type hooks ------------------------------------------------------------------------

  /** {@code TString.class} or {@code TInt64.class}. */
  abstract Class<? extends TType> tokenType();

  /** A value of the data as a token; throws naming what was expected. */
  abstract K token(Object value);

  /** A line of {@code vocabulary.txt} as a token. */
  abstract K parse(String line);

  /** The tokens as a {@code String[]} or {@code long[]}. */
  abstract Object tokenArray(List<K> tokens);

  /** A Java list of tokens as a host array for a dataset. */
  abstract Object hostArray(List<?> tokens);

  /** The order ties are broken by, as NumPy sorts the tokens. */
  abstract Comparator<K> tokenOrder();

  /** The layer's input as keys of the token type. */
  abstract Operand<? extends TType> keys(Ops tf, Operand<?> input);

  /** {@code token} as a scalar constant of the token type. */
  abstract Operand<? extends TType> constant(Ops tf, K token);

  /** Where {@code keys} equal {@code token}. */
  abstract Operand<TBool> equal(Ops tf, Operand<? extends TType> keys, K token);

  /** The OOV bucket in [0, n) of each key (Keras: FarmHash of strings, floormod of integers). */
  abstract Operand<TInt64> oovBuckets(Ops tf, Operand<? extends TType> keys, int n);

  /** Rejects a null token in a vocabulary. */
  private void checkToken(K token, String what) {
    if (token == null) {
      throw new IllegalArgumentException(
          "The " + what + " of layer '" + name() + "' holds a null token; give every token a value.");
    }
  }

  private String format(List<K> list) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      K token = list.get(i);
      out.append(i > 0 ? ", " : "").append(token instanceof String ? "'" + token + "'" : String.valueOf(token));
    }
    return out.append(']').toString();
  }
}
