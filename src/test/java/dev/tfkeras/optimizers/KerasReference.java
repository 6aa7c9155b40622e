package dev.tfkeras.optimizers;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * Keras 3's {@code BaseOptimizer.apply} computed in doubles, around an optimizer's own update rule:
 * gradients clipped ({@code clipnorm}, {@code global_clipnorm} or {@code clipvalue}), decoupled
 * weight decay {@code w -= w·wd·lr} before each update, the rule, moving averages ({@code
 * use_ema}), then the iteration count. Gradients come from the loss of {@link NamedProblem}:
 * constant {@code c}, or {@code w} for the quadratic term.
 */
final class KerasReference {

  /** One Keras {@code update_step}: updates {@code w} in place. */
  interface Rule {
    /**
     * @param slots this variable's slots by name, created on first use
     * @param lr the step's learning rate
     * @param t the 1-based step number (iterations + 1)
     */
    void update(double[] w, double[] g, Slots slots, double lr, int t);

    /** Work shared by all variables of a step, before their updates (Nadam). */
    default void beginStep(int t) {}
  }

  /** Per-variable slot arrays. */
  static final class Slots {
    private final int size;
    private final Map<String, double[]> byName = new HashMap<>();

    Slots(int size) {
      this.size = size;
    }

    /** The slot, zero-filled on first use. */
    double[] get(String name) {
      return get(name, 0);
    }

    /** The slot, filled with {@code initial} on first use. */
    double[] get(String name, double initial) {
      return byName.computeIfAbsent(
          name,
          n -> {
            double[] values = new double[size];
            java.util.Arrays.fill(values, initial);
            return values;
          });
    }
  }

  private final Rule rule;
  private final double[][] w;
  private final float[][] linear;
  private final Slots[] slots;
  private final double[][] averages;
  private LongToDoubleFunction learningRate = step -> 1e-3;
  private double clipnorm;
  private double clipvalue;
  private double globalClipnorm;
  private double weightDecay;
  private boolean[] decayed;
  private double emaMomentum = -1;
  private int emaOverwriteFrequency;
  private long iterations;

  KerasReference(Rule rule, float[][] starts, float[][] linear) {
    this.rule = rule;
    this.linear = linear;
    this.w = new double[starts.length][];
    this.slots = new Slots[starts.length];
    this.averages = new double[starts.length][];
    for (int i = 0; i < starts.length; i++) {
      w[i] = new double[starts[i].length];
      for (int j = 0; j < w[i].length; j++) {
        w[i][j] = starts[i][j];
      }
      slots[i] = new Slots(w[i].length);
      averages[i] = new double[w[i].length];
    }
  }

  KerasReference learningRate(double lr) {
    learningRate = step -> lr;
    return this;
  }

  /** The learning rate of the step taken after {@code iterations} steps, e.g. a schedule. */
  KerasReference learningRate(LongToDoubleFunction ofIterations) {
    learningRate = ofIterations;
    return this;
  }

  KerasReference clipnorm(double value) {
    clipnorm = value;
    return this;
  }

  KerasReference clipvalue(double value) {
    clipvalue = value;
    return this;
  }

  KerasReference globalClipnorm(double value) {
    globalClipnorm = value;
    return this;
  }

  /** Weight decay on the variables whose flag is true. */
  KerasReference weightDecay(double value, boolean... decayedVariables) {
    weightDecay = value;
    decayed = decayedVariables;
    return this;
  }

  KerasReference ema(double momentum, int overwriteFrequency) {
    emaMomentum = momentum;
    emaOverwriteFrequency = overwriteFrequency;
    return this;
  }

  /** Runs {@code n} steps. */
  KerasReference run(int n) {
    for (int k = 0; k < n; k++) {
      step();
    }
    return this;
  }

  private void step() {
    double[][] g = new double[w.length][];
    for (int i = 0; i < w.length; i++) {
      g[i] = new double[w[i].length];
      for (int j = 0; j < g[i].length; j++) {
        g[i][j] = linear[i] != null ? linear[i][j] : w[i][j];
      }
    }
    clip(g);
    double lr = learningRate.applyAsDouble(iterations);
    int t = (int) iterations + 1;
    rule.beginStep(t);
    for (int i = 0; i < w.length; i++) {
      if (decayed != null && decayed[i]) {
        for (int j = 0; j < w[i].length; j++) {
          w[i][j] -= w[i][j] * weightDecay * lr;
        }
      }
      rule.update(w[i], g[i], slots[i], lr, t);
    }
    if (emaMomentum >= 0) {
      double m = iterations == 0 ? 0 : emaMomentum;
      boolean overwrite =
          emaOverwriteFrequency > 0 && (iterations + 1) % emaOverwriteFrequency == 0;
      for (int i = 0; i < w.length; i++) {
        for (int j = 0; j < w[i].length; j++) {
          averages[i][j] = m * averages[i][j] + (1 - m) * w[i][j];
          if (overwrite) {
            w[i][j] = averages[i][j];
          }
        }
      }
    }
    iterations++;
  }

  private void clip(double[][] g) {
    if (clipnorm > 0) {
      for (double[] gi : g) {
        double norm = Math.sqrt(sumOfSquares(gi));
        scale(gi, clipnorm / Math.max(norm, clipnorm));
      }
    } else if (globalClipnorm > 0) {
      double total = 0;
      for (double[] gi : g) {
        total += sumOfSquares(gi);
      }
      double norm = Math.sqrt(total);
      for (double[] gi : g) {
        scale(gi, globalClipnorm * Math.min(1 / norm, 1 / globalClipnorm));
      }
    } else if (clipvalue > 0) {
      for (double[] gi : g) {
        for (int j = 0; j < gi.length; j++) {
          gi[j] = Math.max(-clipvalue, Math.min(clipvalue, gi[j]));
        }
      }
    }
  }

  private static double sumOfSquares(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v * v;
    }
    return sum;
  }

  private static void scale(double[] values, double factor) {
    for (int j = 0; j < values.length; j++) {
      values[j] *= factor;
    }
  }

  double[] weights(int i) {
    return w[i].clone();
  }

  double[] average(int i) {
    return averages[i].clone();
  }

  Slots slots(int i) {
    return slots[i];
  }
}
