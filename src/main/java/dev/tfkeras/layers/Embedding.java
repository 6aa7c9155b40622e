package dev.tfkeras.layers;

import dev.tfkeras.initializers.Initializer;
import dev.tfkeras.initializers.Initializers;
import dev.tfkeras.initializers.RandomUniform;
import dev.tfkeras.saving.Config;
import dev.tfkeras.variables.Variable;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Keras's {@code Embedding}: turns token ids {@code (batch, ...)} into vectors {@code (batch, ...,
 * outputDim)} by looking them up in the {@code embeddings} weight {@code (inputDim, outputDim)}
 * (uniform in [-0.05, 0.05) by default).
 *
 * <p>Ids keep their integer dtype (int32 or int64; other dtypes, such as the float32 a {@code
 * Sequential} model feeds its first layer, are cast to int32 as Keras does). A negative id counts
 * from the end, as in Keras; an id at or beyond {@code inputDim} fails the lookup. With {@link
 * #maskZero} id 0 is padding: the output carries a Keras mask ({@code id != 0}) that recurrent
 * layers read to skip those steps.
 */
public class Embedding extends Layer {

  private final int inputDim;
  private final int outputDim;
  private boolean maskZero;
  private Initializer embeddingsInitializer = new RandomUniform();
  private Variable<TFloat32> embeddings;

  /**
   * @param inputDim size of the vocabulary: ids run from 0 to {@code inputDim - 1}
   * @param outputDim size of each embedding vector
   */
  public Embedding(int inputDim, int outputDim) {
    if (inputDim <= 0) {
      throw new IllegalArgumentException(
          "`input_dim` must be a positive integer. Received: input_dim=" + inputDim + " (of type int).");
    }
    if (outputDim <= 0) {
      throw new IllegalArgumentException(
          "`output_dim` must be a positive integer. Received: output_dim=" + outputDim + " (of type int).");
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
  }

  /**
   * Whether id 0 is padding, masked in the output for the layers after it (default false); the
   * vocabulary then still counts id 0, so {@code inputDim} is the largest id + 1. Returns this.
   */
  public Embedding maskZero(boolean maskZero) {
    checkNotBuilt("maskZero");
    this.maskZero = maskZero;
    return this;
  }

  /**
   * {@link #embeddingsInitializer(Initializer)} by Keras's identifier,
   * e.g. {@code "uniform"}; returns this.
   *
   * @throws IllegalArgumentException for an unknown identifier, listing the known ones
   */
  public Embedding embeddingsInitializer(String identifier) {
    return embeddingsInitializer(Initializers.get(identifier));
  }

  /** Initializer of {@code embeddings} (default uniform in [-0.05, 0.05)); returns this. */
  public Embedding embeddingsInitializer(Initializer initializer) {
    checkNotBuilt("embeddingsInitializer");
    this.embeddingsInitializer = Objects.requireNonNull(initializer, "initializer");
    return this;
  }

  /** Size of the vocabulary. */
  public int inputDim() {
    return inputDim;
  }

  /** Size of each embedding vector. */
  public int outputDim() {
    return outputDim;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireMinRank(shape, 1);
  }

  @Override
  protected void build(Shape inputShape) {
    embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), embeddingsInitializer, true);
  }

  @Override
  protected Operand<TFloat32> call(List<Operand<?>> inputs, boolean training) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "Layer \"" + name() + "\" takes one input of token ids, received " + inputs.size() + ".");
    }
    return lookup(tf(), integerIds(tf(), inputs.get(0)));
  }

  private <T extends TNumber> Operand<TFloat32> lookup(Ops tf, Operand<T> ids) {
    Operand<T> zero = tf.dtypes.cast(tf.constant(0), ids.type());
    // negative ids count from the end, as Keras's take
    Operand<T> rows =
        tf.select(
            tf.math.less(ids, zero),
            tf.math.add(ids, tf.dtypes.cast(tf.constant(inputDim), ids.type())),
            ids);
    Operand<TFloat32> output = tf.gather(embeddings.read(tf), rows, tf.constant(0));
    if (maskZero) {
      setMask(output, tf.math.notEqual(ids, zero));
    }
    return output;
  }

  @SuppressWarnings("unchecked")
  private static Operand<? extends TNumber> integerIds(Ops tf, Operand<?> input) {
    Class<?> type = input.type();
    if (type == TInt32.class || type == TInt64.class) {
      return (Operand<? extends TNumber>) input;
    }
    return tf.dtypes.cast((Operand<? extends TType>) input, TInt32.class);
  }

  /** Whether id 0 is padding, masked for the layers after it (Keras's {@code mask_zero}). */
  public boolean maskZero() {
    return maskZero;
  }

  /** The initializer of {@code embeddings}. */
  public Initializer embeddingsInitializer() {
    return embeddingsInitializer;
  }

  /** Keras's {@code Embedding.get_config} (no {@code quantization_config} or LoRA keys, which tfkeras lacks). */
  @Override
  public Config getConfig() {
    return super.getConfig()
        .put("input_dim", inputDim)
        .put("output_dim", outputDim)
        .put("embeddings_initializer", embeddingsInitializer)
        .putNull("embeddings_regularizer", "activity_regularizer", "embeddings_constraint")
        .put("mask_zero", maskZero);
  }

  /**
   * Keras's {@code Embedding.from_config}; Keras 2's {@code input_length} is accepted and dropped,
   * as Keras 3 does; regularizers, constraints, sparse gradients, LoRA and quantization refused.
   */
  public static Embedding fromConfig(Config config) {
    Embedding embedding = new Embedding(config.getInt("input_dim", 0), config.getInt("output_dim", 0))
        .maskZero(config.getBoolean("mask_zero", false));
    embedding.embeddingsInitializer(Configs.initializer(config, "embeddings_initializer", embedding.embeddingsInitializer));
    config.ignore("input_length");
    config.requireDefault("embeddings_regularizer", "embeddings_constraint", "quantization_config", "lora_rank", "lora_alpha");
    if (config.getBoolean("sparse", false)) {
      throw config.invalid("sparse", "false: tfkeras's Embedding has dense gradients");
    }
    return configured(embedding, config);
  }
}
