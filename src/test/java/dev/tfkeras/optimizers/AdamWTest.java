package dev.tfkeras.optimizers;

import static dev.tfkeras.testing.Numeric.assertWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfkeras.testing.FreshRuntime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** AdamW: Adam after Keras's decoupled weight decay {@code w -= w·wd·lr}, 0.004 by default. */
@ExtendWith(FreshRuntime.class)
class AdamWTest {

  private static final float[] START = {1f, -2f, 0.25f, 3.5f};

  @Test
  void defaultsDecayBy0004BeforeEachAdamStep() {
    var adamw = new AdamW();
    assertEquals("adamw", adamw.name());
    var p = NamedProblem.single(adamw, START, null);
    for (int t = 1; t <= 3; t++) {
      p.run(1);
      KerasReference want =
          p.reference(AdamTest.RULE).learningRate(1e-3).weightDecay(0.004, true).run(t);
      assertWeights(want.weights(0), p.weights("w"), START, "w after step " + t);
    }
  }

  @Test
  void aLargeDecayDominatesOnAFlatLoss() {
    // zero gradient: Adam does not move (m = 0), only the decay does: w (1 - wd·lr)^t
    var p = NamedProblem.single(new AdamW(0.1f, 0.5f), START, new float[] {0f, 0f, 0f, 0f});
    p.run(3);
    double[] want =
        p.reference(AdamTest.RULE).learningRate(0.1).weightDecay(0.5, true).run(3).weights(0);
    assertWeights(want, p.weights("w"), START, "w");
    assertEquals(3.5 * Math.pow(1 - 0.05, 3), want[3], 1e-6);
  }

  @Test
  void amsgradBiasExclusionAndGlobalClipnorm() {
    Map<String, float[]> starts = new LinkedHashMap<>();
    starts.put("kernel", new float[] {2f, -1f});
    starts.put("bias", new float[] {0.5f});
    var adamw = new AdamW(0.2f, 0.1f, 0.8f, 0.6f, 1e-6f, true);
    adamw.excludeFromWeightDecay("bias").globalClipnorm(1f);
    var p = new NamedProblem(adamw, starts, null, new float[] {3f});
    p.run(4);
    KerasReference want =
        p.reference(AdamTest.rule(0.8, 0.6, 1e-6, true))
            .learningRate(0.2)
            .weightDecay(0.1, true, false)
            .globalClipnorm(1)
            .run(4);
    assertWeights(want.weights(0), p.weights("kernel"), p.start("kernel"), "kernel");
    assertWeights(want.weights(1), p.weights("bias"), p.start("bias"), "bias");
  }
}
