package dev.tfkeras.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Element-wise activations that layers apply after their linear part. */
public enum Activation {
  /** Identity: no activation (logits). */
  LINEAR {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return x;
    }
  },
  /** max(x, 0). */
  RELU {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.relu(x);
    }
  },
  /** 1 / (1 + exp(-x)). */
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
  /** Softmax over the last axis. */
  SOFTMAX {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      return tf.nn.softmax(x);
    }
  };

  /** Applies the activation. */
  public abstract Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
}
