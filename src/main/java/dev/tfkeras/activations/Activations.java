package dev.tfkeras.activations;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * Keras's activation functions ({@code keras.activations}) with their default arguments, looked up
 * by Keras name with {@link #get(String)}; the factories below configure the ones that take
 * arguments. Every formula is Keras 3's; gradients come from TensorFlow's registered kernels.
 */
public enum Activations implements ActivationFunction {
  /** Identity: no activation (logits). */
  LINEAR {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return x;
    }
  },
  /** {@code max(x, 0)}. */
  RELU {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.relu(x);
    }
  },
  /** {@code min(max(x, 0), 6)}. */
  RELU6 {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.relu6(x);
    }
  },
  /** {@code x} for {@code x >= 0}, {@code 0.2 x} below: {@link #leakyRelu(double)} with Keras's slope. */
  LEAKY_RELU {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return leakyRelu(0.2f).apply(tf, x);
    }
  },
  /** {@code 1 / (1 + exp(-x))}. */
  SIGMOID {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.sigmoid(x);
    }
  },
  /** Hyperbolic tangent. */
  TANH {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.tanh(x);
    }
  },
  /** {@code exp(x) / sum(exp(x))} over the last axis. */
  SOFTMAX {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.softmax(x);
    }
  },
  /** {@code x - log(sum(exp(x)))} over the last axis. */
  LOG_SOFTMAX {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.logSoftmax(x);
    }
  },
  /** {@code x} for {@code x > 0}, {@code exp(x) - 1} otherwise ({@link #elu(double)} with alpha 1). */
  ELU {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.elu(x);
    }
  },
  /** {@code scale * elu(x, alpha)} with {@code alpha = 1.67326324}, {@code scale = 1.05070098}. */
  SELU {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.selu(x);
    }
  },
  /** {@code 0.5 x (1 + erf(x / sqrt(2)))}, exact as Keras's default; see {@link #gelu(boolean)}. */
  GELU {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return gelu(false).apply(tf, x);
    }
  },
  /** Swish: {@code x * sigmoid(x)}; Keras's {@code silu}, also found as {@code swish}. */
  SILU {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.mul(x, tf.math.sigmoid(x));
    }
  },
  /** {@code log(exp(x) + 1)}. */
  SOFTPLUS {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.softplus(x);
    }
  },
  /** {@code x / (|x| + 1)}. */
  SOFTSIGN {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.softsign(x);
    }
  },
  /** {@code exp(x)}. */
  EXPONENTIAL {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.exp(x);
    }
  },
  /** Keras 3's piecewise-linear sigmoid {@code relu6(x + 3) / 6}: 0 below -3, 1 above 3. */
  HARD_SIGMOID {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.div(tf.nn.relu6(tf.math.add(x, tf.constant(3f))), tf.constant(6f));
    }
  },
  /** Hard swish: {@code x * hard_sigmoid(x)}; Keras's {@code hard_silu}, also {@code hard_swish}. */
  HARD_SILU {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.mul(x, HARD_SIGMOID.apply(tf, x));
    }
  },
  /** {@code x * tanh(softplus(x))}. */
  MISH {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.mul(x, tf.math.tanh(tf.math.softplus(x)));
    }
  },
  /** {@code log(sigmoid(x)) = -softplus(-x)}. */
  LOG_SIGMOID {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.math.neg(tf.math.softplus(tf.math.neg(x)));
    }
  };

  /** Keras's alias of {@link #SILU}. */
  public static final Activations SWISH = SILU;

  /** Keras's alias of {@link #HARD_SILU}. */
  public static final Activations HARD_SWISH = HARD_SILU;

  private static final Map<String, Activations> BY_NAME = new LinkedHashMap<>();

  static {
    for (Activations a : values()) {
      BY_NAME.put(a.kerasName(), a);
    }
    BY_NAME.put("swish", SILU);
    BY_NAME.put("hard_swish", HARD_SILU);
  }

  /** The name Keras knows this activation by, e.g. {@code "leaky_relu"}. */
  public String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The activation Keras knows by {@code name} ({@code "relu"}, {@code "gelu"}, {@code "swish"}...;
   * case-sensitive, as Keras), or {@link #LINEAR} for null, as {@code keras.activations.get}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static Activations get(String name) {
    if (name == null) {
      return LINEAR;
    }
    Activations found = BY_NAME.get(name);
    if (found == null) {
      throw new IllegalArgumentException(
          "Could not interpret activation function identifier: " + name + ". Known: "
              + String.join(", ", BY_NAME.keySet()) + ".");
    }
    return found;
  }

  /**
   * Keras's {@code relu(x, negative_slope, max_value, threshold)}: {@code x} above {@code
   * threshold} (clipped at {@code maxValue} if not null), {@code negativeSlope * (x - threshold)}
   * below it.
   */
  public static ActivationFunction relu(float negativeSlope, Float maxValue, float threshold) {
    if (negativeSlope == 0f && maxValue == null && threshold == 0f) {
      return RELU;
    }
    if (negativeSlope != 0f && maxValue == null && threshold == 0f) {
      return leakyRelu(negativeSlope);
    }
    return (tf, x) -> {
      Operand<TFloat32> zero = tf.constant(0f);
      Operand<TFloat32> out;
      if (threshold != 0f) {
        // x where x > threshold, else 0: a product with the 0/1 mask keeps a gradient of 1 above it
        Operand<TFloat32> above =
            tf.dtypes.cast(tf.math.greater(x, tf.constant(threshold)), TFloat32.class);
        out = tf.math.mul(x, above);
      } else {
        out = tf.nn.relu(x);
      }
      if (maxValue != null) {
        out = tf.math.minimum(tf.math.maximum(out, zero), tf.constant(maxValue));
      }
      if (negativeSlope != 0f) {
        Operand<TFloat32> negativePart = tf.nn.relu(tf.math.sub(tf.constant(threshold), x));
        out = tf.math.sub(out, tf.math.mul(tf.constant(negativeSlope), negativePart));
      }
      return out;
    };
  }

  /** Keras's {@code leaky_relu(x, negative_slope)}: {@code x} for {@code x >= 0}, {@code slope x} below. */
  public static ActivationFunction leakyRelu(double negativeSlope) {
    return (tf, x) -> tf.nn.leakyRelu(x, LeakyRelu.alpha((float) negativeSlope));
  }

  /** Keras's {@code elu(x, alpha)}: {@code x} for {@code x > 0}, {@code alpha (exp(x) - 1)} otherwise. */
  public static ActivationFunction elu(double alphaValue) {
    float alpha = (float) alphaValue;
    if (alpha == 1f) {
      return ELU;
    }
    return (tf, x) -> {
      Operand<TFloat32> e = tf.nn.elu(x);
      Operand<TFloat32> zero = tf.constant(0f);
      return tf.math.add(
          tf.math.maximum(e, zero), tf.math.mul(tf.constant(alpha), tf.math.minimum(e, zero)));
    };
  }

  /**
   * Keras's {@code gelu(x, approximate)}: exact {@code 0.5 x (1 + erf(x / sqrt(2)))}, or the tanh
   * approximation {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}.
   */
  public static ActivationFunction gelu(boolean approximate) {
    return (tf, x) -> {
      Operand<TFloat32> half = tf.math.mul(tf.constant(0.5f), x);
      Operand<TFloat32> inner;
      if (approximate) {
        Operand<TFloat32> cube = tf.math.mul(tf.math.mul(x, x), x);
        inner =
            tf.math.tanh(
                tf.math.mul(
                    tf.constant((float) Math.sqrt(2 / Math.PI)),
                    tf.math.add(x, tf.math.mul(tf.constant(0.044715f), cube))));
      } else {
        inner = tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))));
      }
      return tf.math.mul(half, tf.math.add(tf.constant(1f), inner));
    };
  }

  /**
   * Keras's {@code softmax(x, axis)} over one or several axes (negative counts from the end):
   * {@code exp(x) / sum(exp(x))} over them.
   *
   * @throws IllegalArgumentException if no axis is given or an axis repeats
   */
  public static ActivationFunction softmax(int... axes) {
    if (axes.length == 0) {
      throw new IllegalArgumentException("softmax needs at least one axis, received none.");
    }
    int[] chosen = axes.clone();
    return (tf, x) -> softmax(tf, x, chosen);
  }

  private static Operand<TFloat32> softmax(Ops tf, Operand<TFloat32> x, int[] axes) {
    Shape shape = x.shape();
    if (shape.isUnknown()) {
      throw new IllegalArgumentException(
          "softmax over axes " + Arrays.toString(axes) + " needs an input of known rank.");
    }
    int rank = shape.numDimensions();
    int[] normalized = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (a < 0 || a >= rank) {
        throw new IllegalArgumentException(
            "softmax axis " + axes[i] + " is out of range for an input of rank " + rank + " (shape "
                + dev.tfkeras.layers.Layer.format(shape) + ").");
      }
      for (int j = 0; j < i; j++) {
        if (normalized[j] == a) {
          throw new IllegalArgumentException("softmax axes repeat: " + Arrays.toString(axes) + ".");
        }
      }
      normalized[i] = a;
    }
    if (normalized.length == 1) {
      int axis = normalized[0];
      if (axis == rank - 1) {
        return tf.nn.softmax(x);
      }
      // TensorFlow's kernel works on the last axis: swap, apply, swap back.
      int[] perm = new int[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = i;
      }
      perm[axis] = rank - 1;
      perm[rank - 1] = axis;
      Operand<org.tensorflow.types.TInt32> p = tf.constant(perm);
      return tf.linalg.transpose(tf.nn.softmax(tf.linalg.transpose(x, p)), p);
    }
    // exp(x - logsumexp(x)) over several axes; the max only keeps exp in range (it cancels).
    Operand<org.tensorflow.types.TInt32> reduce = tf.constant(normalized);
    Operand<TFloat32> max =
        tf.stopGradient(tf.max(x, reduce, org.tensorflow.op.core.Max.keepDims(true)));
    Operand<TFloat32> shifted = tf.math.sub(x, max);
    Operand<TFloat32> exp = tf.math.exp(shifted);
    return tf.math.div(exp, tf.sum(exp, reduce, org.tensorflow.op.core.Sum.keepDims(true)));
  }
}
