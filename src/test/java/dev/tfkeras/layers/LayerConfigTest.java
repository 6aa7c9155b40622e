package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.activations.Activations;
import dev.tfkeras.constraints.MaxNorm;
import dev.tfkeras.constraints.NonNeg;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.initializers.HeNormal;
import dev.tfkeras.initializers.Orthogonal;
import dev.tfkeras.initializers.RandomNormal;
import dev.tfkeras.layers.preprocessing.CategoryEncoding;
import dev.tfkeras.layers.preprocessing.CenterCrop;
import dev.tfkeras.layers.preprocessing.Discretization;
import dev.tfkeras.layers.preprocessing.Hashing;
import dev.tfkeras.layers.preprocessing.Normalization;
import dev.tfkeras.layers.preprocessing.Resizing;
import dev.tfkeras.regularizers.L1L2;
import dev.tfkeras.regularizers.L2;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.saving.Config;
import dev.tfkeras.saving.CustomObjects;
import dev.tfkeras.saving.Serialization;
import dev.tfkeras.testing.ClassWalk;
import dev.tfkeras.testing.FreshRuntime;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Layer configs: Keras's keys and values (from Keras's layer tests and a real Keras 3.11 file), and
 * a round trip {@code fromConfig(getConfig())} and {@code deserialize(serialize(layer))} of every
 * layer class, each with settings other than its defaults.
 */
@ExtendWith(FreshRuntime.class)
public class LayerConfigTest {

  /** One layer per class, with settings other than the defaults wherever the class has some. */
  private static List<Layer> samples() {
    return List.of(
        new Activation(Activations.GELU).name("act"),
        new Add().name("sum"),
        new Average(),
        new AveragePooling2D(new int[] {3, 2}).strides(new int[] {1, 2}).padding("same"),
        new BatchNormalization().axis(1).momentum(0.9).epsilon(1e-5).center(false)
            .gammaInitializer(Constant.of(0.5)).movingMeanInitializer(new RandomNormal(0, 1, 3)),
        new Bidirectional(new GRU(4).returnSequences(true).resetAfter(false), Bidirectional.MergeMode.SUM),
        new Concatenate(1),
        new Conv1D(8, 3, "relu").padding("causal").dilationRate(2).useBias(false)
            .kernelRegularizer(new L2(0.01)).kernelConstraint(new MaxNorm(2.0, 0, 1)),
        new Conv2D(6, new int[] {3, 1}, "tanh").strides(2).padding("same").groups(2)
            .kernelInitializer(new HeNormal(7)).biasRegularizer(new L1L2(0.1, 0.2)),
        new Conv2DTranspose(4, 3, Activations.SIGMOID).strides(2).outputPadding(1).biasConstraint(new NonNeg()),
        new Dense(5, "softmax").useBias(false).kernelInitializer(new Orthogonal(2.0, 11L))
            .kernelRegularizer("l2").kernelConstraint(new MaxNorm(3.0, 0)),
        new Dropout(0.25, 42),
        new Embedding(100, 8).maskZero(true).embeddingsInitializer(new RandomNormal(0, 0.1, 5)),
        new Flatten().name("flat"),
        new GRU(3).recurrentActivation("hard_sigmoid").resetAfter(false).goBackwards(true)
            .biasInitializer(Constant.of(0.03)),
        new GlobalAveragePooling1D().keepdims(true),
        new GlobalAveragePooling2D().keepdims(true),
        new GlobalMaxPooling1D().keepdims(true),
        new GlobalMaxPooling2D().keepdims(true),
        new LSTM(6).unitForgetBias(false).returnState(true).activation("relu")
            .recurrentInitializer(new Orthogonal(1.5, 2L)),
        new LayerNormalization().axis(-2, -1).epsilon(1e-6).scale(false).betaInitializer(Constant.of(0.1)),
        new MaxPooling2D(3).strides(1).padding("same"),
        new Multiply(),
        new Permute(2, 1),
        new Rescaling(1 / 127.5, -1),
        new Reshape(-1, 4),
        new SimpleRNN(5).returnSequences(true).zeroOutputForMask(true).useBias(false),
        new Softmax(1, 2),
        new Subtract(),
        new UpSampling2D(new int[] {2, 3}).interpolation(UpSampling2D.Interpolation.BILINEAR),
        new ZeroPadding2D(new int[][] {{1, 2}, {3, 4}}),
        new CategoryEncoding(4).outputMode("count"),
        new CenterCrop(3, 5).dataFormat("channels_first"),
        Discretization.withBinBoundaries(0.0, 0.35, 0.5, 1.0).outputMode("one_hot"),
        new Hashing(7).salt(3, 5).maskValue("").outputMode("multi_hot"),
        new Normalization(new double[] {1, 2}, new double[] {4, 9}).axis(1).invert(true),
        new Resizing(8, 6).interpolation("nearest").padToAspectRatio(true).fillValue(0.5),
        new dev.tfkeras.layers.preprocessing.RandomFlip("vertical").seed(3),
        new dev.tfkeras.layers.preprocessing.RandomRotation(0.1).factor(-0.2, 0.3).fillMode("constant")
            .interpolation("nearest").fillValue(0.5).seed(4),
        new dev.tfkeras.layers.preprocessing.RandomZoom(0.2, 0.3).fillMode("wrap").seed(5),
        new dev.tfkeras.layers.preprocessing.RandomTranslation(0.1, 0.2).fillMode("nearest").seed(6),
        new dev.tfkeras.layers.preprocessing.RandomContrast(0.4).seed(7),
        new dev.tfkeras.layers.preprocessing.RandomBrightness(0.2).valueRange(0, 1).seed(8),
        new dev.tfkeras.layers.preprocessing.StringLookup().maxTokens(10).numOovIndices(2).maskToken("")
            .outputMode("multi_hot"),
        new dev.tfkeras.layers.preprocessing.IntegerLookup().numOovIndices(2).outputMode("count"),
        new dev.tfkeras.layers.preprocessing.TextVectorization().standardize("lower").split("character")
            .ngrams(2).maxTokens(50).outputMode("int").outputSequenceLength(12));
  }

  @Test
  void everyLayerClassRoundTrips() throws Exception {
    Set<Class<?>> covered = new LinkedHashSet<>();
    List<Layer> samples = new ArrayList<>(samples());
    samples.add(Input.named("pixels", TInt32.class, 28, -1).node().layer());
    for (Layer sample : samples) {
      Config config = sample.getConfig();
      Config serialized = Serialization.serialize(sample);
      if (sample instanceof InputLayer) {
        GraphRuntime.reset(); // input names are unique per runtime: rebuild it in a new one
      }
      Method fromConfig = sample.getClass().getMethod("fromConfig", Config.class);
      assertTrue(Modifier.isStatic(fromConfig.getModifiers()), sample.getClass() + ".fromConfig is static");
      Layer copy = (Layer) fromConfig.invoke(null, config.copy());
      assertSame(sample.getClass(), copy.getClass(), sample.toString());
      assertEquals(config, copy.getConfig(), sample.toString());
      assertEquals(config, Config.fromJson(config.toJson()), sample.toString());
      if (sample instanceof InputLayer) {
        GraphRuntime.reset();
      }
      Layer deserialized = Serialization.deserialize(serialized, Layer.class);
      assertSame(sample.getClass(), deserialized.getClass(), sample.toString());
      assertEquals(config, deserialized.getConfig(), sample.toString());
      assertEquals("keras.layers", serialized.getString("module", null), sample.toString());
      covered.add(sample.getClass());
    }
    List<Class<?>> missing = new ArrayList<>();
    for (Class<?> c : ClassWalk.concreteSubtypes(Layer.class, "dev.tfkeras.layers")) {
      if (!covered.contains(c)) {
        missing.add(c);
      }
    }
    assertEquals(List.of(), missing, "layer classes without a round-trip sample");
  }

  @Test
  void denseAsARealKeras3FileWritesIt() {
    // mnist_dense_keras_3_11_1.keras (src/test/resources/keras), its first Dense as Keras 3.11.1 wrote it
    String keras = "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"dense\","
        + " \"trainable\": true, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\":"
        + " {\"name\": \"float32\"}, \"registered_name\": null}, \"units\": 128, \"activation\": \"relu\","
        + " \"use_bias\": true, \"kernel_initializer\": {\"module\": \"keras.initializers\", \"class_name\":"
        + " \"GlorotUniform\", \"config\": {\"seed\": null}, \"registered_name\": null}, \"bias_initializer\":"
        + " {\"module\": \"keras.initializers\", \"class_name\": \"Zeros\", \"config\": {}, \"registered_name\":"
        + " null}, \"kernel_regularizer\": null, \"bias_regularizer\": null, \"kernel_constraint\": null,"
        + " \"bias_constraint\": null}, \"registered_name\": null, \"build_config\": {\"input_shape\": [null, 784]}}";
    Dense dense = new Dense(128, "relu");
    dense.apply(Input.of(784));
    assertEquals(Config.fromJson(keras).toJson(), Serialization.serialize(dense).toJson(), "same keys, order and values");
  }

  @Test
  void kerasTestValues() {
    // keras/src/layers/reshaping/zero_padding2d_test.py test_zero_padding_2d_get_config
    assertEquals(Config.fromJson("{\"name\": \"zero_padding2d\", \"trainable\": true, \"dtype\": "
            + Layer.dtypePolicy("float32").toJson() + ", \"padding\": [[1, 1], [2, 2]], \"data_format\": \"channels_last\"}"),
        new ZeroPadding2D(1, 2).getConfig());
    // keras/src/layers/preprocessing/category_encoding_test.py test_get_config
    Config encoding = new CategoryEncoding(4).outputMode("count").getConfig();
    assertEquals(4L, encoding.get("num_tokens"));
    assertEquals("count", encoding.get("output_mode"));
    assertEquals(false, encoding.containsKey("sparse"), "sparse=False is left out: Keras 3.0 refuses the key");
    assertEquals(encoding, CategoryEncoding.fromConfig(encoding.copy().put("sparse", false)).getConfig());
    // keras/src/layers/preprocessing/discretization_test.py test_serialization
    Discretization bins = Discretization.withNumBins(5);
    assertEquals(bins.getConfig(), Discretization.fromConfig(bins.getConfig()).getConfig());
    bins.adapt(new float[] {0, 1, 5});
    assertEquals(bins.getConfig(), Discretization.fromConfig(bins.getConfig()).getConfig());
    bins = Discretization.withNumBins(5);
    bins.adapt(new float[] {0, 1, 2, 3, 4, 5, 6, 7});
    assertEquals(bins.getConfig(), Discretization.fromConfig(bins.getConfig()).getConfig());
    Config bounded = Discretization.withBinBoundaries(0.0, 0.35, 0.5, 1.0).getConfig();
    assertEquals(bounded, Discretization.fromConfig(bounded.copy()).getConfig());
    assertEquals(List.of(0.0, 0.35, 0.5, 1.0), bounded.get("bin_boundaries"));
    // keras/src/layers/preprocessing/hashing_test.py test_config_with_custom_name
    Layer hashing = new Hashing(2).name("hashing");
    assertEquals("hashing", Hashing.fromConfig(hashing.getConfig()).name());
    // keras/src/layers/convolutional/conv_transpose_test.py test_output_padding_serialization
    Config transpose = new Conv2DTranspose(2, 3).strides(2).outputPadding(1).getConfig();
    assertEquals(List.of(1L, 1L), transpose.get("output_padding"));
    assertArrayEquals(new int[] {1, 1}, Conv2DTranspose.fromConfig(transpose).outputPadding());
    // Keras's LSTM key order (keras/src/layers/rnn/lstm.py get_config, after the RNN base's keys)
    assertEquals(List.of("name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards", "stateful",
            "unroll", "zero_output_for_mask", "units", "activation", "recurrent_activation", "use_bias",
            "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
            "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
            "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed"),
        List.copyOf(new LSTM(2).getConfig().keys()));
  }

  @Test
  void gruReadsItsInitializersAndKeras2sImplementationKey() {
    // keras/src/layers/rnn/gru_test.py test_legacy_implementation_argument
    Config config = new GRU(3).kernelInitializer(Constant.of(0.01)).recurrentInitializer(Constant.of(0.02))
        .biasInitializer(Constant.of(0.03)).getConfig().put("implementation", 0);
    GRU gru = GRU.fromConfig(config);
    float[] sequence = new float[72];
    for (int i = 0; i < sequence.length; i++) {
      sequence[i] = i;
    }
    float[][] expected = {{0.5217289f, 0.5217289f, 0.5217289f}, {0.6371659f, 0.6371659f, 0.6371659f},
        {0.39384964f, 0.39384964f, 0.3938496f}};
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(3, 6, 4), org.tensorflow.ndarray.buffer.DataBuffers.of(sequence));
        TFloat32 out = gru.apply(x)) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          assertEquals(expected[i][j], out.getFloat(i, j), 1e-5, "output[" + i + "][" + j + "]");
        }
      }
    }
  }

  @Test
  void builtLayersHaveKerasBuildConfigs() {
    Dense dense = new Dense(2);
    KerasTensor x = dense.apply(Input.of(3));
    assertEquals(Config.fromJson("{\"input_shape\": [null, 3]}"), dense.getBuildConfig());
    Add add = new Add();
    add.apply(List.of(x, x));
    assertEquals(Config.fromJson("{\"input_shape\": [[null, 2], [null, 2]]}"), add.getBuildConfig());
    assertEquals(null, new Dense(2).getBuildConfig());
    // keras/src/layers/layer.py get_build_config: RNN.build(sequences_shape, initial_state_shape)
    LSTM lstm = new LSTM(2);
    lstm.apply(List.of(Input.of(3, 4), Input.of(2), Input.of(2)));
    assertEquals(Config.fromJson("{\"shapes_dict\": {\"sequences_shape\": [null, 3, 4], \"initial_state_shape\":"
        + " [[null, 2], [null, 2]]}}"), lstm.getBuildConfig());
  }

  @Test
  void errorsNameTheLayerTheKeyAndTheWayOut() {
    IllegalArgumentException activation = assertThrows(IllegalArgumentException.class,
        () -> new Dense(2, Activations.leakyRelu(0.1)).name("head").getConfig());
    assertTrue(activation.getMessage().startsWith("Layer 'head' (Dense) has an activation that Keras cannot name"),
        activation.getMessage());
    IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> Dense.fromConfig(
        new Dense(2).getConfig().put("dtype", Layer.dtypePolicy("mixed_float16")).describes("Dense")));
    assertTrue(dtype.getMessage().startsWith("Layer 'dense' (Dense) has dtype policy 'mixed_float16'"), dtype.getMessage());
    // Keras's Hashing needs an integer dtype policy for "int" output (Keras 3.15 refuses float32):
    // written as int64, read as tfkeras's float32 bins; other output modes keep float32
    assertEquals(Layer.dtypePolicy("int64"), new Hashing(3).getConfig().getConfig("dtype"));
    assertEquals(Layer.dtypePolicy("float32"), new Hashing(3).outputMode("one_hot").getConfig().getConfig("dtype"));
    assertEquals("hashing", Hashing.fromConfig(new Hashing(3).getConfig().put("dtype", Layer.dtypePolicy("int64"))
        .describes("Hashing")).name());
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> Dense.fromConfig(
        new Dense(2).getConfig().put("future_option", 7).describes("Dense")));
    assertTrue(key.getMessage().startsWith("Layer 'dense' (Dense) has config key(s) [future_option]"), key.getMessage());
    IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class, () -> LSTM.fromConfig(
        new LSTM(2).getConfig().put("dropout", 0.2).describes("LSTM")));
    assertTrue(dropout.getMessage().contains("dropout=0.2, which tfkeras's recurrent layers do not support yet"),
        dropout.getMessage());
    UnsupportedOperationException lambda = assertThrows(UnsupportedOperationException.class,
        () -> new Dense(2).kernelInitializer((tf, shape, seed) -> tf.zeros(tf.constant(shape.asArray()), TFloat32.class))
            .getConfig());
    assertTrue(lambda.getMessage().contains("CustomObjects.register"), lambda.getMessage());
  }

  /** A layer of a user's own, as a Keras user writes one with register_keras_serializable. */
  public static final class Scale extends Layer {
    private final double factor;

    public Scale(double factor) {
      this.factor = factor;
    }

    @Override
    public Config getConfig() {
      return super.getConfig().put("factor", factor);
    }

    public static Scale fromConfig(Config config) {
      return configured(new Scale(config.getDouble("factor", 1)), config);
    }

    @Override
    protected org.tensorflow.Operand<TFloat32> call(org.tensorflow.Operand<TFloat32> input, boolean training) {
      return tf().math.mul(input, tf().constant((float) factor));
    }
  }

  @Test
  void customLayersRoundTripUnderTheirRegisteredName() {
    CustomObjects.register("Scale", Scale::fromConfig);
    try {
      Config serialized = Serialization.serialize(new Scale(3).name("triple"));
      assertEquals("Custom>Scale", serialized.getString("registered_name", null));
      Layer back = Serialization.deserialize(serialized, Layer.class);
      assertEquals(new Scale(3).name("triple").getConfig(), back.getConfig());
      try (TFloat32 out = back.apply(new float[][] {{1f, 2f}})) {
        assertEquals(6f, out.getFloat(0, 1));
      }
    } finally {
      CustomObjects.unregister("Scale");
    }
  }
}
