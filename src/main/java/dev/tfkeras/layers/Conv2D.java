package dev.tfkeras.layers;

import dev.tfkeras.activations.ActivationFunction;
import dev.tfkeras.activations.Activations;
import dev.tfkeras.saving.Config;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * 2-D convolution over {@code (batch, height, width, channels)} inputs (channels last):
 * {@code activation(conv2d(input, kernel) + bias)}. The kernel is {@code (kh, kw, inChannels /
 * groups, filters)}, created from the first input.
 *
 * <p>Settings as Keras's: {@code padding}, {@code strides}, {@code dilationRate} (not together
 * with strides above 1) and {@code groups}. Dilation runs as TensorFlow's space-to-batch
 * (atrous) convolution and groups as one convolution per channel group, not through the Conv2D
 * op's {@code dilations} attribute (which crashes the oneDNN CPU kernel of TensorFlow Java 1.1.0)
 * or its grouped mode (which TensorFlow's plain CPU kernels lack; Keras falls back to XLA there).
 * Each convolution goes through {@link OneDnnSafe}, around the configurations that oneDNN computes
 * wrongly on an AMD EPYC with AVX-512 (the plain stride-1 convolution stays as it is).
 */
public class Conv2D extends ConvolutionBase2D<Conv2D> {

  private int groups = 1;

  /** A square {@code kernelSize x kernelSize} convolution without activation. */
  public Conv2D(int filters, int kernelSize) {
    this(filters, kernelSize, Activations.LINEAR);
  }

  /** A square {@code kernelSize x kernelSize} convolution, as {@code Conv2D(32, 3, activation='relu')}. */
  public Conv2D(int filters, int kernelSize, ActivationFunction activation) {
    this(filters, new int[] {kernelSize, kernelSize}, activation);
  }

  /**
   * A square {@code kernelSize x kernelSize} convolution with an activation by Keras's name:
   * {@code new Conv2D(32, 3, "relu")}.
   *
   * @throws IllegalArgumentException for an unknown activation name, listing the known ones
   */
  public Conv2D(int filters, int kernelSize, String activation) {
    this(filters, kernelSize, Activations.get(activation));
  }

  /**
   * A {height, width} convolution with an activation by Keras's name.
   *
   * @throws IllegalArgumentException for an unknown activation name, listing the known ones
   */
  public Conv2D(int filters, int[] kernelSize, String activation) {
    this(filters, kernelSize, Activations.get(activation));
  }

  /**
   * @param filters number of output channels, positive
   * @param kernelSize {height, width}, positive
   * @param activation applied to the output
   */
  public Conv2D(int filters, int[] kernelSize, ActivationFunction activation) {
    super(filters, kernelSize, activation);
  }

  /**
   * Splits the input channels into {@code groups} groups, each convolved with its own {@code
   * filters / groups} filters and concatenated (default 1). {@code filters} and the input channels
   * must both divide by it. Returns this.
   */
  public Conv2D groups(int groups) {
    checkNotBuilt("groups");
    if (groups <= 0) {
      throw new IllegalArgumentException(
          "Received an invalid value for `groups`, expected a positive integer. Received: groups="
              + groups);
    }
    if (filters % groups != 0) {
      throw new IllegalArgumentException(
          "The number of filters must be evenly divisible by the number of groups. Received:"
              + " groups=" + groups + ", filters=" + filters + ".");
    }
    this.groups = groups;
    return this;
  }

  @Override
  protected void validateInput(Shape shape) {
    requireRank(shape, 4);
    requireLastAxis(shape, "input channels");
    long channels = shape.get(3);
    if (channels % groups != 0) {
      throw new IllegalArgumentException(
          "The number of input channels must be evenly divisible by the number of groups. Received"
              + " groups=" + groups + ", but the input has " + channels + " channels (full input"
              + " shape is " + format(shape) + ").");
    }
    for (int axis = 1; axis <= 2; axis++) {
      long size = shape.get(axis);
      int k = kernelSize[axis - 1];
      int rate = dilationRate[axis - 1];
      long extent = Pairs.dilated(k, rate);
      if (padding == Padding.VALID && size != Shape.UNKNOWN_SIZE && size < extent) {
        throw incompatible(
            "with padding VALID, axis " + axis + " must be at least the "
                + (rate == 1 ? "kernel size " + k : "dilated kernel size " + extent + " (kernel size "
                    + k + ", dilation rate " + rate + ")")
                + ", found " + size,
            shape);
      }
    }
  }

  @Override
  protected void build(Shape inputShape) {
    long channels = inputShape.get(3) / groups;
    Shape kernelShape = Shape.of(kernelSize[0], kernelSize[1], channels, filters);
    addKernelAndBias(kernelShape, filters);
  }

  @Override
  protected Operand<TFloat32> call(Operand<TFloat32> input, boolean training) {
    var tf = tf();
    Operand<TFloat32> x =
        Pairs.anyAboveOne(dilationRate) ? atrous(tf, input) : convolve(tf, input, padding);
    if (biasVariable() != null) {
      x = tf.nn.biasAdd(x, biasVariable().read(tf));
    }
    return activation.apply(tf, x);
  }

  /**
   * The convolution, one per channel group when {@code groups > 1}, through {@link OneDnnSafe}
   * (which leaves the stride-1 convolutions of up to 32 input channels as they are).
   */
  private Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x, Padding pad) {
    Operand<TFloat32> k = kernelVariable().read(tf);
    if (groups == 1) {
      return OneDnnSafe.conv2d(tf, x, k, strides, pad.op());
    }
    var inputs = tf.split(tf.constant(3), x, (long) groups).output();
    var kernels = tf.split(tf.constant(3), k, (long) groups).output();
    List<Operand<TFloat32>> outputs = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      outputs.add(OneDnnSafe.conv2d(tf, inputs.get(g), kernels.get(g), strides, pad.op()));
    }
    return tf.concat(outputs, tf.constant(3));
  }

  /**
   * Dilated convolution as TensorFlow's {@code with_space_to_batch}: the padded input is split
   * into rate x rate interleaved sub-images, each convolved (VALID) with the undilated kernel, and
   * interleaved back; the SAME padding and the padding up to a multiple of the rate are cropped.
   */
  private Operand<TFloat32> atrous(Ops tf, Operand<TFloat32> x) {
    int[][] base = new int[2][2];
    boolean known = true;
    for (int i = 0; i < 2; i++) {
      if (padding == Padding.SAME) {
        int total = (int) Pairs.dilated(kernelSize[i], dilationRate[i]) - 1;
        base[i][0] = total / 2;
        base[i][1] = total - total / 2;
      }
      known &= x.shape().get(i + 1) != Shape.UNKNOWN_SIZE;
    }
    Operand<TInt32> rates = tf.constant(dilationRate);
    Operand<TInt32> paddings;
    Operand<TInt32> crops;
    if (known) {
      int[][] pads = new int[2][2];
      int[][] cut = new int[2][2];
      for (int i = 0; i < 2; i++) {
        long padded = x.shape().get(i + 1) + base[i][0] + base[i][1];
        int extra = (int) Math.floorMod(-padded, (long) dilationRate[i]);
        pads[i] = new int[] {base[i][0], base[i][1] + extra};
        cut[i] = new int[] {0, extra};
      }
      paddings = tf.constant(pads);
      crops = tf.constant(cut);
    } else {
      Operand<TInt32> spatial =
          tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
      Operand<TInt32> before = tf.constant(new int[] {base[0][0], base[1][0]});
      Operand<TInt32> after = tf.constant(new int[] {base[0][1], base[1][1]});
      Operand<TInt32> extra =
          tf.math.floorMod(tf.math.neg(tf.math.add(spatial, tf.math.add(before, after))), rates);
      paddings = tf.stack(List.of(before, tf.math.add(after, extra)), Stack.axis(1L));
      crops = tf.stack(List.of(tf.zerosLike(extra), extra), Stack.axis(1L));
    }
    Operand<TFloat32> blocks = tf.spaceToBatchNd(x, rates, paddings);
    return tf.batchToSpaceNd(convolve(tf, blocks, Padding.VALID), rates, crops);
  }

  /** Number of channel groups (Keras's {@code groups}, default 1). */
  public int groups() {
    return groups;
  }

  /**
   * Keras's {@code Conv2D.get_config} (its base {@code BaseConv}'s keys): sizes as lists, {@code
   * data_format} {@code "channels_last"}.
   */
  @Override
  public Config getConfig() {
    Config config = super.getConfig()
        .put("filters", filters)
        .put("kernel_size", kernelSize)
        .put("strides", strides)
        .put("padding", Configs.padding(padding))
        .put("data_format", "channels_last")
        .put("dilation_rate", dilationRate)
        .put("groups", groups)
        .put("activation", Configs.activation(this, activation));
    return putKernelSettings(config, true);
  }

  /** Keras's {@code Conv2D.from_config}: an equal, unbuilt layer. */
  public static Conv2D fromConfig(Config config) {
    Configs.channelsLast(config);
    Conv2D conv = new Conv2D(config.getInt("filters", 0), config.getInts("kernel_size", 2, null),
        Configs.activation(config, "activation", Activations.LINEAR))
        .padding(Configs.padding(config, false))
        .dilationRate(config.getInts("dilation_rate", 2, new int[] {1, 1}))
        .strides(config.getInts("strides", 2, new int[] {1, 1}))
        .groups(config.getInt("groups", 1));
    return configured(conv.readKernelSettings(config), config);
  }
}
