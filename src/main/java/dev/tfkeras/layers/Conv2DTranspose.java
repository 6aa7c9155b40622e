package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Transposed 2-D convolution ("deconvolution") over {@code (batch, height, width, channels)}
 * inputs: the gradient of a convolution with respect to its input, so each input pixel spreads
 * over a kernel-sized patch of a larger output. The kernel is {@code (kh, kw, filters,
 * inChannels)}, as Keras's.
 *
 * <p>Output size per spatial axis, Keras's rule for input size {@code n}, stride {@code s} and
 * dilated kernel extent {@code k}: VALID gives {@code (n − 1)·s + max(k, s)}, SAME gives {@code
 * n·s}; with an {@code outputPadding} {@code p}, VALID gives {@code (n − 1)·s + k + p} and SAME
 * {@code (n − 1)·s + k mod 2 + p}.
 *
 * <p>Computed through {@link OneDnnSafe}: TensorFlow's oneDNN kernel for this op was measured wrong
 * on an AMD EPYC with AVX-512 for one channel each side with strides, and for 33–48 (mod 32)
 * filters.
 */
public class Conv2DTranspose extends ConvolutionBase2D<Conv2DTranspose> {

  private int[] outputPadding;

  /** A square {@code kernelSize x kernelSize} transposed convolution without activation. */
  public Conv2DTranspose(int filters, int kernelSize) {
    this(filters, kernelSize, Activation.LINEAR);
  }

  /** A square {@code kernelSize x kernelSize} transposed convolution. */
  public Conv2DTranspose(int filters, int kernelSize, ActivationFunction activation) {
    this(filters, Pairs.twice(kernelSize), activation);
  }

  /**
   * A square {@code kernelSize x kernelSize} convolution with an activation by Keras's name:
   * {@code new Conv2DTranspose(32, 3, "relu")}.
   *
   * @throws IllegalArgumentException for an unknown activation name, listing the known ones
   */
  public Conv2DTranspose(int filters, int kernelSize, String activation) {
    this(filters, kernelSize, Activations.get(activation));
  }

  /**
   * A {height, width} convolution with an activation by Keras's name.
   *
   * @throws IllegalArgumentException for an unknown activation name, listing the known ones
   */
  public Conv2DTranspose(int filters, int[] kernelSize, String activation) {
    this(filters, kernelSize, Activations.get(activation));
  }

  /**
   * @param filters number of output channels, positive
   * @param kernelSize {height, width}, positive
   * @param activation applied to the output
   */
  public Conv2DTranspose(int filters, int[] kernelSize, ActivationFunction activation) {
    super(filters, kernelSize, activation);
  }

  /** The same output padding on both axes; see {@link #outputPadding(int[])}. Returns this. */
  public Conv2DTranspose outputPadding(int outputPadding) {
    return outputPadding(Pairs.twice(outputPadding));
  }

  /**
   * Extra rows and columns {height, width} on the output's bottom and right, each smaller than the
   * stride (checked on the first apply, once the strides are final). Default: none, the sizes of
   * the class comment. Returns this.
   */
  public Conv2DTranspose outputPadding(int[] outputPadding) {
    checkNotBuilt("outputPadding");
    this.outputPadding = Pairs.nonNegative("output_padding", outputPadding);
    return this;
  }

  @Override
  protected void validateInput(Shape shape) {
    if (outputPadding != null) {
      for (int i = 0; i < 2; i++) {
        if (outputPadding[i] >= strides[i]) {
          throw new IllegalArgumentException(
              "`output_padding` must be strictly less than `strides` for all dimensions. At"
                  + " dimension " + i + ", `output_padding` is " + outputPadding[i] + " but"
                  + " `strides` is " + strides[i] + ". Received: output_padding="
                  + Arrays.toString(outputPadding) + ", strides=" + Arrays.toString(strides));
        }
      }
    }
    if (outputPadding != null && padding == Padding.SAME) {
      for (int i = 0; i < 2; i++) {
        long k = Pairs.dilated(kernelSize[i], dilationRate[i]);
        if (k % 2 + outputPadding[i] == 0) {
          // TensorFlow rejects this (Keras passes it through); oneDNN aborts the JVM instead
          throw new IllegalArgumentException(
              "With padding SAME, an even (dilated) kernel size and `output_padding` 0, the output"
                  + " has (n - 1) * stride rows, which a SAME convolution maps back to n - 1 inputs,"
                  + " not n: TensorFlow's Conv2DBackpropInput rejects it. At dimension " + i
                  + " the kernel size is " + k + "; use an output_padding of at least 1 there."
                  + " Received: output_padding=" + Arrays.toString(outputPadding) + ", kernel_size="
                  + Arrays.toString(kernelSize) + ", dilation_rate=" + Arrays.toString(dilationRate));
        }
      }
    }
    requireRank(shape, 4);
    requireLastAxis(shape, "input channels");
  }

  @Override
  protected void build(Shape inputShape) {
    addKernelAndBias(Shape.of(kernelSize[0], kernelSize[1], filters, inputShape.get(3)), filters);
  }

  /** Output size minus {@code n · stride} along {@code axis}: Keras's rule, for any input size. */
  private int growth(int axis) {
    int s = strides[axis];
    int k = (int) Pairs.dilated(kernelSize[axis], dilationRate[axis]);
    if (padding == Padding.VALID) {
      return outputPadding == null ? Math.max(k, s) - s : k + outputPadding[axis] - s;
    }
    return outputPadding == null ? 0 : k % 2 + outputPadding[axis] - s;
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    Ops tf = tf();
    Operand<TInt32> dims = tf.shape(input);
    List<Operand<TInt32>> outputShape = new ArrayList<>();
    outputShape.add(dimension(tf, dims, 0));
    for (int axis = 0; axis < 2; axis++) {
      long n = input.shape().get(axis + 1);
      outputShape.add(
          n != Shape.UNKNOWN_SIZE
              ? tf.constant((int) n * strides[axis] + growth(axis))
              : tf.math.add(
                  tf.math.mul(dimension(tf, dims, axis + 1), tf.constant(strides[axis])),
                  tf.constant(growth(axis))));
    }
    outputShape.add(tf.constant(filters));
    Operand<TFloat32> x =
        OneDnnSafe.conv2dTranspose(tf, outputShape, dilatedKernel(tf), input, strides, padding.op());
    if (biasVariable() != null) {
      x = tf.nn.biasAdd(x, biasVariable().read(tf));
    }
    return activation.apply(tf, x);
  }

  private static Operand<TInt32> dimension(Ops tf, Operand<TInt32> dims, int axis) {
    return tf.stridedSlice(
        dims,
        tf.constant(new int[] {axis}),
        tf.constant(new int[] {axis + 1}),
        tf.constant(new int[] {1}),
        StridedSlice.shrinkAxisMask(1L));
  }

  /**
   * The kernel with {@code rate − 1} zeros between its taps, so the plain op computes the dilated
   * transpose (the op's {@code dilations} attribute crashes TensorFlow Java 1.1.0's oneDNN CPU
   * kernel); the kernel itself when not dilated.
   */
  private Operand<TFloat32> dilatedKernel(Ops tf) {
    Operand<TFloat32> k = kernelVariable().read(tf);
    if (!Pairs.anyAboveOne(dilationRate)) {
      return k;
    }
    int kh = kernelSize[0];
    int kw = kernelSize[1];
    int dh = dilationRate[0];
    int dw = dilationRate[1];
    int in = (int) kernelVariable().shape().get(3);
    // int32 shapes throughout: the registered gradients of Slice and Pad expect them
    Operand<TFloat32> spread = tf.reshape(k, tf.constant(new int[] {kh, 1, kw, 1, filters, in}));
    Operand<TFloat32> padded =
        tf.pad(
            spread,
            tf.constant(new int[][] {{0, 0}, {0, dh - 1}, {0, 0}, {0, dw - 1}, {0, 0}, {0, 0}}),
            tf.constant(0f));
    Operand<TFloat32> grid = tf.reshape(padded, tf.constant(new int[] {kh * dh, kw * dw, filters, in}));
    return tf.slice(
        grid,
        tf.constant(new int[] {0, 0, 0, 0}),
        tf.constant(new int[] {(kh - 1) * dh + 1, (kw - 1) * dw + 1, filters, in}));
  }

  /** The extra rows and columns on the output's bottom and right, or null (Keras's None). */
  public int[] outputPadding() {
    return outputPadding == null ? null : outputPadding.clone();
  }

  /** Keras's {@code Conv2DTranspose.get_config} (its base {@code BaseConvTranspose}'s keys). */
  @Override
  public Config getConfig() {
    Config config = super.getConfig()
        .put("filters", filters)
        .put("kernel_size", kernelSize)
        .put("strides", strides)
        .put("padding", Configs.padding(padding))
        .put("output_padding", outputPadding)
        .put("data_format", "channels_last")
        .put("dilation_rate", dilationRate)
        .put("activation", Configs.activation(this, activation));
    return putKernelSettings(config, true);
  }

  /** Keras's {@code Conv2DTranspose.from_config}: an equal, unbuilt layer. */
  public static Conv2DTranspose fromConfig(Config config) {
    Configs.channelsLast(config);
    Conv2DTranspose conv = new Conv2DTranspose(config.getInt("filters", 0), config.getInts("kernel_size", 2, null),
        Configs.activation(config, "activation", Activations.LINEAR))
        .padding(Configs.padding(config, false))
        .dilationRate(config.getInts("dilation_rate", 2, new int[] {1, 1}))
        .strides(config.getInts("strides", 2, new int[] {1, 1}));
    int[] outputPadding = config.getInts("output_padding", 2, null);
    if (outputPadding != null) {
      conv.outputPadding(outputPadding);
    }
    return configured(conv.readKernelSettings(config), config);
  }
}
