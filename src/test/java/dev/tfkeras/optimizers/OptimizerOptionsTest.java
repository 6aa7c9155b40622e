package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.callbacks.Callback;
import dev.tfkeras.layers.Dense;
import dev.tfkeras.losses.MeanSquaredError;
import dev.tfkeras.models.FitOptions;
import dev.tfkeras.models.Sequential;
import dev.tfkeras.models.TestModels;
import dev.tfkeras.testing.FreshRuntime;
import dev.tfkeras.testing.Tensors;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorflow.types.TFloat32;

/**
 * Keras's options common to every optimizer (clipping, decoupled weight decay with exclusions,
 * moving averages), with plain SGD so that the option is all that differs from {@code w -= lr g}.
 */
@ExtendWith(FreshRuntime.class)
class OptimizerOptionsTest {

  /** Keras's SGD without momentum. */
  static final KerasReference.Rule SGD =
      (w, g, slots, lr, t) -> {
        for (int j = 0; j < w.length; j++) {
          w[j] -= lr * g[j];
        }
      };

  private static Map<String, float[]> kernelAndBias(float[] kernel, float[] bias) {
    Map<String, float[]> starts = new LinkedHashMap<>();
    starts.put("kernel", kernel);
    starts.put("bias", bias);
    return starts;
  }

  private static void assertMatches(NamedProblem p, KerasReference want, String what) {
    assertWeights(want.weights(0), p.weights("kernel"), p.start("kernel"), what + " kernel");
    assertWeights(want.weights(1), p.weights("bias"), p.start("bias"), what + " bias");
  }

  // constant gradients: kernel's has norm 5, bias's norm 0.5
  private static final float[] KERNEL = {1f, -2f};
  private static final float[] BIAS = {0.5f, 0.25f};
  private static final float[] G_KERNEL = {3f, -4f};
  private static final float[] G_BIAS = {0.3f, 0.4f};

  @Test
  void clipnormRescalesEachGradientToTheNorm() {
    var p =
        new NamedProblem(new SGD(0.1f).clipnorm(1f), kernelAndBias(KERNEL, BIAS), G_KERNEL, G_BIAS);
    p.run(3);
    KerasReference want = p.reference(SGD).learningRate(0.1).clipnorm(1).run(3);
    assertMatches(p, want, "clipnorm 1");
    // by hand: the kernel's gradient becomes (0.6, -0.8); the bias's (norm 0.5) is left alone
    assertEquals(1 - 3 * 0.1 * 0.6, want.weights(0)[0], 1e-7);
    assertEquals(0.5 - 3 * 0.1 * 0.3, want.weights(1)[0], 1e-7);
  }

  @Test
  void globalClipnormRescalesAllGradientsTogether() {
    var p =
        new NamedProblem(
            new SGD(0.1f).globalClipnorm(1f), kernelAndBias(KERNEL, BIAS), G_KERNEL, G_BIAS);
    p.run(2);
    KerasReference want = p.reference(SGD).learningRate(0.1).globalClipnorm(1).run(2);
    assertMatches(p, want, "global_clipnorm 1");
    double scale = 1 / Math.sqrt(25 + 0.25);
    assertEquals(0.5 - 2 * 0.1 * 0.3 * scale, want.weights(1)[0], 1e-7, "the bias shrinks too");
  }

  @Test
  void globalClipnormLeavesSmallGradientsAlone() {
    var p =
        new NamedProblem(
            new SGD(0.1f).globalClipnorm(10f), kernelAndBias(KERNEL, BIAS), G_KERNEL, G_BIAS);
    p.run(2);
    assertMatches(p, p.reference(SGD).learningRate(0.1).run(2), "below the global norm");
  }

  @Test
  void clipvalueClipsEachElement() {
    var p =
        new NamedProblem(
            new SGD(0.1f).clipvalue(0.35f), kernelAndBias(KERNEL, BIAS), G_KERNEL, G_BIAS);
    p.run(2);
    KerasReference want = p.reference(SGD).learningRate(0.1).clipvalue(0.35f).run(2);
    assertMatches(p, want, "clipvalue 0.35");
    assertEquals(-2 + 2 * 0.1 * 0.35f, want.weights(0)[1], 1e-9, "-4 clipped to -0.35");
    assertEquals(0.5 - 2 * 0.1 * 0.3, want.weights(1)[0], 1e-7, "0.3 kept");
  }

  @Test
  void clippingWorksOnEveryOptimizer() {
    // Adam's update divides by sqrt(v), so clipping shows only through the ratio of moments;
    // with a gradient changing each step (quadratic loss) it changes the result.
    float[] start = {3f, -4f};
    var p = NamedProblem.single(new Adam(0.1f).clipnorm(1f), start, null);
    p.run(3);
    KerasReference want = p.reference(AdamTest.RULE).learningRate(0.1).clipnorm(1).run(3);
    assertWeights(want.weights(0), p.weights("w"), start, "Adam with clipnorm");
  }

  @Test
  void onlyOneClippingOptionMayBeSet() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> new SGD().clipnorm(1f).clipvalue(0.5f));
    assertEquals(
        "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received:"
            + " clipnorm=1.0, clipvalue=0.5, global_clipnorm=None. Keep the one you want and drop"
            + " the others.",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Adam().clipvalue(2f).globalClipnorm(3f));
    assertEquals(
        "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received:"
            + " clipnorm=None, clipvalue=2.0, global_clipnorm=3.0. Keep the one you want and drop"
            + " the others.",
        e.getMessage());
    // setting the same option again replaces it
    new SGD().clipnorm(1f).clipnorm(2f);
  }

  private static void assertInvalid(String message, Supplier<Optimizer> create) {
    var e = assertThrows(IllegalArgumentException.class, create::get);
    assertEquals(message, e.getMessage());
  }

  @Test
  void invalidOptionValuesAreRejected() {
    assertInvalid(
        "Received an invalid value for `clipnorm`, expected a positive number. Received: clipnorm=0.0",
        () -> new SGD().clipnorm(0f));
    assertInvalid(
        "Received an invalid value for `clipvalue`, expected a positive number. Received: clipvalue=-1.0",
        () -> new SGD().clipvalue(-1f));
    assertInvalid(
        "Received an invalid value for `global_clipnorm`, expected a positive number. Received:"
            + " global_clipnorm=NaN",
        () -> new SGD().globalClipnorm(Float.NaN));
    assertInvalid(
        "Received an invalid value for `weight_decay`, expected a finite number >= 0. Received:"
            + " weight_decay=-0.1",
        () -> new SGD().weightDecay(-0.1f));
    assertInvalid(
        "`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=1.5",
        () -> new SGD().emaMomentum(1.5f));
    assertInvalid(
        "`ema_overwrite_frequency` must be an integer >= 1. Received: ema_overwrite_frequency=0",
        () -> new SGD().emaOverwriteFrequency(0));
    assertInvalid(
        "excludeFromWeightDecay names are regular expressions searched in variable names, as"
            + " Keras's var_names; received an invalid one in [bias, (]: Unclosed group. Quote"
            + " special characters, e.g. with Pattern.quote.",
        () -> new SGD().weightDecay(0.1f).excludeFromWeightDecay("bias", "("));
  }

  @Test
  void weightDecayShrinksWeightsBeforeTheUpdate() {
    float[] start = {1f, -2f, 0.5f};
    var p = NamedProblem.single(new SGD(0.1f).weightDecay(0.01f), start, null);
    p.run(3);
    KerasReference want = p.reference(SGD).learningRate(0.1).weightDecay(0.01, true).run(3);
    assertWeights(want.weights(0), p.weights("w"), start, "w");
    // by hand, step 1 for w = 1: the gradient (w = 1) is taken before the decay: 1 - .001 - .1
    assertEquals(
        0.899,
        p.reference(SGD).learningRate(0.1).weightDecay(0.01, true).run(1).weights(0)[0],
        1e-12);
  }

  @Test
  void weightDecayUsesTheCurrentLearningRate() {
    float[] start = {1f, -2f};
    var sgd = new SGD(0.1f).weightDecay(0.5f);
    var p = NamedProblem.single(sgd, start, new float[] {0.25f, 0.25f});
    p.run(2);
    sgd.setLearningRate(0.02f);
    p.run(2);
    KerasReference want =
        p.reference(SGD).learningRate(i -> i < 2 ? 0.1 : 0.02).weightDecay(0.5, true).run(4);
    assertWeights(want.weights(0), p.weights("w"), start, "w");
    assertEquals(1, p.step.traceCount());
  }

  @Test
  void variablesExcludedByNameAreNotDecayed() {
    var sgd = new SGD(0.1f).weightDecay(0.2f).excludeFromWeightDecay("bias");
    var p = new NamedProblem(sgd, kernelAndBias(KERNEL, BIAS), null, null);
    p.run(3);
    assertMatches(
        p, p.reference(SGD).learningRate(0.1).weightDecay(0.2, true, false).run(3), "by name");
  }

  @Test
  void namesArePatternsSearchedInTheVariableNameOnly() {
    // "^b" matches "bias" (the name), not the path "weights/bias"; "eig" would match the path only
    var sgd = new SGD(0.1f).weightDecay(0.2f).excludeFromWeightDecay("^b", "eig");
    var p = new NamedProblem(sgd, kernelAndBias(KERNEL, BIAS), null, null);
    p.run(2);
    assertMatches(
        p, p.reference(SGD).learningRate(0.1).weightDecay(0.2, true, false).run(2), "patterns");
  }

  @Test
  void variablesExcludedAsObjectsAreNotDecayed() {
    var sgd = new SGD(0.1f).weightDecay(0.2f);
    var p = new NamedProblem(sgd, kernelAndBias(KERNEL, BIAS), null, null);
    p.build();
    // a later call replaces the earlier exclusions, as in Keras
    sgd.excludeFromWeightDecay("bias");
    sgd.excludeFromWeightDecay(List.of(p.variable("kernel")), List.of());
    p.run(3);
    assertMatches(
        p, p.reference(SGD).learningRate(0.1).weightDecay(0.2, false, true).run(3), "by variable");
  }

  @Test
  void optionsCannotChangeAfterTheFirstStep() {
    var adam = new Adam();
    var p = NamedProblem.single(adam, new float[] {1f}, null);
    p.run(1);
    var e = assertThrows(IllegalStateException.class, () -> adam.clipnorm(1f));
    assertEquals(
        "Optimizer 'adam' has already been used in a train step, which fixed its options: set"
            + " clipnorm before the first step, or create a new optimizer.",
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> adam.weightDecay(0.1f));
    assertThrows(IllegalStateException.class, () -> adam.excludeFromWeightDecay("bias"));
    assertThrows(IllegalStateException.class, () -> adam.useEma(true));
  }

  @Test
  void emaAveragesTheWeightsAndFinalizeCopiesThem() {
    var sgd = new SGD(0.1f).useEma(true);
    var p = new NamedProblem(sgd, kernelAndBias(KERNEL, BIAS), null, G_BIAS);
    p.run(4);
    KerasReference want = p.reference(SGD).learningRate(0.1).ema(0.99, 0).run(4);
    assertMatches(p, want, "training leaves the weights to SGD");
    sgd.finalizeVariableValues(p.layer.trainableVariables());
    assertWeights(want.average(0), p.weights("kernel"), p.start("kernel"), "kernel average");
    assertWeights(want.average(1), p.weights("bias"), p.start("bias"), "bias average");
    // the first step starts the average at the weight: a_1 = w_1, then a = .99 a + .01 w
    KerasReference one = p.reference(SGD).learningRate(0.1).ema(0.99, 0).run(1);
    assertArrayEquals(one.weights(0), one.average(0), 0);
  }

  @Test
  void emaMomentumAndOverwriteFrequencyAreKeras() {
    var sgd = new SGD(0.1f).emaMomentum(0.5f).emaOverwriteFrequency(2);
    var p = new NamedProblem(sgd, kernelAndBias(KERNEL, BIAS), G_KERNEL, null);
    for (int t = 1; t <= 5; t++) {
      p.run(1);
      KerasReference want = p.reference(SGD).learningRate(0.1).ema(0.5, 2).run(t);
      assertMatches(p, want, "after step " + t);
    }
  }

  @Test
  void emaSlotsAreSavedBeforeTheOptimizersOwn() {
    var adam = new Adam().useEma(true);
    var p = new NamedProblem(adam, kernelAndBias(KERNEL, BIAS), null, null);
    p.run(1);
    assertEquals(
        List.of(
            "adam/iterations",
            "adam/learning_rate",
            "adam/weights/kernel/average",
            "adam/weights/bias/average",
            "adam/weights/kernel/m",
            "adam/weights/kernel/v",
            "adam/weights/bias/m",
            "adam/weights/bias/v"),
        adam.variables().stream().map(Variable::path).collect(Collectors.toList()));
  }

  @Test
  void finalizeNeedsAnAverageOfEachVariable() {
    var sgd = new SGD().useEma(true);
    var p = NamedProblem.single(sgd, new float[] {1f}, null);
    p.run(1);
    var other = NamedProblem.single(new SGD(), new float[] {2f}, null);
    other.run(1);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> sgd.finalizeVariableValues(other.layer.trainableVariables()));
    assertEquals(
        "Optimizer 'sgd' keeps no moving average of variable '"
            + other.variable("w").path()
            + "': pass the variables it updated in its train steps (averages exist after the first"
            + " step).",
        e.getMessage());
    // without EMA there is nothing to do
    new SGD().finalizeVariableValues(other.layer.trainableVariables());
    try (TFloat32 w = other.variable("w").value()) {
      assertEquals(2f - 0.01f * 2f, w.getFloat(0), 1e-7f);
    }
  }

  @Test
  void weightDecayIsReported() {
    assertEquals(Optional.empty(), new SGD().weightDecay());
    assertEquals(Optional.of(0.004f), new AdamW().weightDecay());
    assertEquals(Optional.of(0.5f), new Adam().weightDecay(0.5f).weightDecay());
  }

  @Test
  void fitEndsWithTheMovingAveragesAsKeras() {
    float[][] x = new float[64][3];
    float[][] y = new float[64][1];
    Random random = new Random(4);
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = (float) random.nextGaussian();
      }
      y[i][0] = x[i][0] - 2 * x[i][1] + 0.5f;
    }
    var sgd = new SGD(0.1f).useEma(true);
    try (var model = new Sequential(new Dense(1))) {
      model.compile(sgd, new MeanSquaredError());
      List<float[]> lastEpoch = new ArrayList<>();
      var probe =
          new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
              lastEpoch.clear();
              lastEpoch.addAll(TestModels.weights(model()));
            }
          };
      model.fit(x, y, new FitOptions().epochs(2).batchSize(16).verbose(0).callbacks(probe));
      List<Variable<TFloat32>> weights = model.trainableVariables();
      for (int i = 0; i < weights.size(); i++) {
        Variable<TFloat32> weight = weights.get(i);
        @SuppressWarnings("unchecked")
        Variable<TFloat32> average =
            (Variable<TFloat32>)
                sgd.variables().stream()
                    .filter(v -> v.path().equals("sgd/" + weight.path() + "/average"))
                    .findFirst()
                    .orElseThrow();
        try (TFloat32 w = weight.value();
            TFloat32 a = average.value()) {
          float[] trained = Tensors.read(w);
          assertArrayEquals(Tensors.read(a), trained, 0f, weight.path() + " is its average");
          assertTrue(
              IntStream.range(0, trained.length)
                  .anyMatch(
                      j -> Math.abs(trained[j] - lastEpoch.get(weights.indexOf(weight))[j]) > 1e-3),
              weight.path() + " moved from SGD's last value to the average");
        }
      }
    }
  }

  @Test
  void emaWithModelFitMatchesKerassTest() {
    // keras optimizers/optimizer_test.py test_ema_with_model_fit: x = [[1]], y = [[0]], Dense(2,
    // ones, no bias), SGD(0.1, use_ema, ema_momentum 0.9), mse, 2 epochs of one batch. The gradient
    // of mean(w²) over 2 outputs is w: the kernel goes 1 -> 0.9 -> 0.81, its average starts at the
    // first step's 0.9, then 0.9 · 0.9 + 0.1 · 0.81 = 0.891, which fit's end copies into the kernel
    var sgd = new SGD(0.1).useEma(true).emaMomentum(0.9);
    try (var model =
        new Sequential(new Dense(2).kernelInitializer("ones").useBias(false))) {
      model.compile(sgd, "mse");
      model.fit(new float[][] {{1f}}, new float[][] {{0f}}, new FitOptions().epochs(2).batchSize(1).verbose(0));
      Variable<TFloat32> kernel = model.trainableVariables().get(0);
      @SuppressWarnings("unchecked")
      Variable<TFloat32> average =
          (Variable<TFloat32>)
              sgd.variables().stream()
                  .filter(v -> v.path().equals("sgd/" + kernel.path() + "/average"))
                  .findFirst()
                  .orElseThrow();
      try (TFloat32 w = kernel.value();
          TFloat32 a = average.value()) {
        assertArrayEquals(new float[] {0.891f, 0.891f}, Tensors.read(a), 1e-5f, "average");
        assertArrayEquals(new float[] {0.891f, 0.891f}, Tensors.read(w), 1e-5f, "kernel");
      }
    }
  }
}
