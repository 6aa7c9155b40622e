package dev.tfkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.constraints.MaxNorm;
import dev.tfkeras.constraints.NonNeg;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The Keras program a user types compiles and means what it means in Keras: string identifiers
 * for activations, padding, initializers, regularizers and constraints, double literals for rates.
 */
@ExtendWith(FreshRuntime.class)
class KerasIdentifiersTest {

  private static void assertInvalid(String messageStart, Executable make) {
    var e = assertThrows(IllegalArgumentException.class, make);
    assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
  }

  @Test
  void denseTakesAnActivationName() {
    // the computation of DenseTest, with "relu" for Activation.RELU
    Dense dense =
        new Dense(2, "relu")
            .kernelInitializer(Constant.values(1, -1, 2, 0, 0, 1))
            .biasInitializer(Constant.values(0.5f, -4f));
    var out = LayerConformance.run(dense, Shape.of(2, 3), new float[] {1, 2, 3, -1, 0, 2}, 8);
    assertArrayEquals(new float[] {5.5f, 0f, 0f, 0f}, out.values(), 1e-6f);
    assertInvalid(
        "Could not interpret activation function identifier: relux.", () -> new Dense(2, "relux"));
  }

  @Test
  void convolutionsTakeAnActivationName() {
    // a 1x1 convolution with kernel -1: relu zeroes every positive input
    var conv =
        new Conv2D(1, 1, "relu").kernelInitializer("ones").useBias(false);
    var out = LayerConformance.run(conv, Shape.of(1, 2, 2, 1), new float[] {1, -2, 3, -4}, 1);
    assertArrayEquals(new float[] {1, 0, 3, 0}, out.values(), 0f);
    var conv1d = new Conv1D(1, 1, "sigmoid").kernelInitializer("zeros").useBias(false);
    assertArrayEquals(
        new float[] {0.5f, 0.5f},
        LayerConformance.run(conv1d, Shape.of(1, 2, 1), new float[] {1, 2}, 1).values(),
        0f);
    var transpose = new Conv2DTranspose(1, 1, "linear").kernelInitializer("ones").useBias(false);
    assertArrayEquals(
        new float[] {1, -2},
        LayerConformance.run(transpose, Shape.of(1, 1, 2, 1), new float[] {1, -2}, 1).values(),
        0f);
  }

  @Test
  void initializersByName() {
    Dense dense = new Dense(2).kernelInitializer("ones").biasInitializer("ones");
    var out = LayerConformance.run(dense, Shape.of(1, 2), new float[] {1, 2}, 6);
    assertArrayEquals(new float[] {4, 4}, out.values(), 0f);
    assertInvalid(
        "Could not interpret initializer identifier: he_normall.",
        () -> new Dense(2).kernelInitializer("he_normall"));
  }

  @Test
  void regularizersByNameUseKerassDefaultFactors() {
    // Keras: L2(l2=0.01), L1(l1=0.01): kernel of ones (2 x 2) -> 0.01 * 4 each
    Dense dense = new Dense(2).kernelInitializer("ones").kernelRegularizer("l2").biasInitializer("ones")
        .biasRegularizer("l1");
    var fn =
        TfFunction.returning(
            TFloat32.class,
            x -> {
              dense.apply(x);
              List<Operand<TFloat32>> losses = dense.losses();
              assertEquals(2, losses.size());
              return TfFunction.ops().math.add(losses.get(0), losses.get(1));
            });
    try (TFloat32 x = Tensors.floats(new float[2], 1, 2);
        TFloat32 loss = fn.call(x)) {
      assertEquals(0.04f + 0.02f, loss.getFloat(), 1e-6f);
    }
    assertInvalid(
        "Could not interpret regularizer identifier: l3.", () -> new Dense(2).kernelRegularizer("l3"));
  }

  @Test
  void constraintsByName() {
    Dense dense = new Dense(2).kernelConstraint("max_norm").biasConstraint("non_neg");
    LayerConformance.run(dense, Shape.of(1, 2), new float[] {1, 2}, 6);
    assertInstanceOf(MaxNorm.class, dense.kernel().constraint());
    assertInstanceOf(NonNeg.class, dense.bias().constraint());
    assertInvalid(
        "Could not interpret constraint identifier: maxnorm.",
        () -> new Dense(2).kernelConstraint("maxnorm"));
  }

  @Test
  void paddingByNameInAnyCase() {
    var same = new Conv2D(1, 3).padding("same").kernelInitializer("ones").useBias(false);
    assertEquals(
        Shape.of(1, 4, 4, 1),
        LayerConformance.run(same, Shape.of(1, 4, 4, 1), new float[16], 9).shape());
    assertEquals(Padding.SAME, Padding.get("SAME"));
    assertEquals(Padding.CAUSAL, Padding.get("causal"));
    var causal = new Conv1D(1, 2).padding("causal").kernelInitializer("ones").useBias(false);
    // causal: output t sees inputs t-1 and t, the first one a zero
    assertArrayEquals(
        new float[] {1, 3, 5},
        LayerConformance.run(causal, Shape.of(1, 3, 1), new float[] {1, 2, 3}, 2).values(),
        0f);
    var pool = new MaxPooling2D(2).padding("valid");
    assertEquals(
        Shape.of(1, 1, 1, 1),
        LayerConformance.run(pool, Shape.of(1, 2, 3, 1), new float[6], 0).shape());
    var e = assertThrows(IllegalArgumentException.class, () -> new Conv2D(1, 3).padding("causal"));
    assertEquals(
        "The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received: causal",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Conv1D(1, 3).padding("full"));
    assertEquals(
        "The `padding` argument must be a list/tuple or one of {'valid', 'same', 'causal'}."
            + " Received: full",
        e.getMessage());
  }

  @Test
  void recurrentEmbeddingAndNormalizationLayersTakeNames() {
    var lstm =
        new LSTM(2)
            .activation("relu")
            .recurrentActivation("hard_sigmoid")
            .kernelInitializer("glorot_uniform")
            .recurrentInitializer("orthogonal")
            .biasInitializer("zeros");
    assertEquals(Shape.of(1, 2), LayerConformance.run(lstm, Shape.of(1, 3, 2), new float[6], 4 * 2 * (2 + 2 + 1)).shape());
    var gru = new GRU(2).recurrentActivation("sigmoid");
    assertEquals(Shape.of(1, 2), LayerConformance.run(gru, Shape.of(1, 3, 2), new float[6], 36).shape());
    var embedding = new Embedding(3, 2).embeddingsInitializer("ones");
    assertArrayEquals(
        new float[] {1, 1},
        LayerConformance.run(embedding, Shape.of(1, 1), new float[] {2}, 6).values(),
        0f);
    var norm = new LayerNormalization().gammaInitializer("zeros").betaInitializer("ones");
    assertArrayEquals(
        new float[] {1, 1},
        LayerConformance.run(norm, Shape.of(1, 2), new float[] {1, 2}, 4).values(),
        0f);
    var batchNorm =
        new BatchNormalization().movingMeanInitializer("ones").movingVarianceInitializer("ones");
    // inference: (x - 1) / sqrt(1 + 1e-3)
    assertArrayEquals(
        new float[] {0f, (float) (1 / Math.sqrt(1.001))},
        LayerConformance.run(batchNorm, Shape.of(1, 2), new float[] {1, 2}, 8).values(),
        1e-6f);
  }

  @Test
  void factorsTakeDoubleLiterals() {
    assertEquals(1e-4f, new dev.tfkeras.regularizers.L2(1e-4).l2());
    assertEquals(0.01f, new dev.tfkeras.regularizers.L1(0.01).l1());
    var l1l2 = new dev.tfkeras.regularizers.L1L2(0.01, 0.02);
    assertEquals(0.02f, l1l2.l2());
    var e =
        assertThrows(IllegalArgumentException.class, () -> new dev.tfkeras.regularizers.L2(-0.1));
    assertEquals(
        "Invalid value for argument l2: expected a non-negative float. Received: l2=-0.1",
        e.getMessage());
    assertTrue(new MaxNorm(2.0).toString().startsWith("MaxNorm(maxValue=2.0"));
    assertTrue(
        new dev.tfkeras.constraints.MinMaxNorm(0.5, 2.0).toString().startsWith("MinMaxNorm(minValue=0.5, maxValue=2.0"));
    Dense dense =
        new Dense(1).kernelInitializer(Constant.of(0.5)).biasInitializer(Constant.of(0.25));
    assertArrayEquals(
        new float[] {1.75f},
        LayerConformance.run(dense, Shape.of(1, 3), new float[] {1, 1, 1}, 4).values(),
        0f);
  }

  @Test
  void ratesTakeDoubleLiterals() {
    assertEquals(0.5f, new Dropout(0.5).rate());
    assertEquals(0.25f, new Dropout(0.25, 42).rate());
    var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    assertEquals(
        "Invalid value received for argument `rate`. Expected a float value between 0 and 1"
            + " (1 excluded). Received: rate=1.5",
        e.getMessage());
  }
}
