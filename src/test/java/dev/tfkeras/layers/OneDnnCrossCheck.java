package dev.tfkeras.layers;

import dev.tfkeras.autodiff.GradientTape;
import dev.tfkeras.function.TfFunction;
import dev.tfkeras.initializers.Constant;
import dev.tfkeras.runtime.GraphRuntime;
import dev.tfkeras.testing.Param;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The convolution and pooling layers' outputs, and the tape's gradients of a weighted sum of them,
 * for a fixed list of configurations (the layer tests' and the ones oneDNN was measured to get
 * wrong, see {@link OneDnnSafe}). {@link OneDnnCrossCheckTest} computes them in its own JVM and in
 * a child JVM with {@code TF_ENABLE_ONEDNN_OPTS=0} (read when TensorFlow loads, so it needs a
 * process), whose {@link #main} prints them one per line.
 */
public final class OneDnnCrossCheck {

  /** Prefix of the lines {@link #main} prints. */
  static final String LINE = "CASE\t";

  private OneDnnCrossCheck() {}

  /** One configuration: a fresh layer, its input shape and the plain-Java output of the input. */
  record Case(String name, Supplier<Layer> layer, long[] shape, Function<float[], float[]> reference) {
    float[] input() {
      return ConvReference.wave((int) Shape.of(shape).size(), 0.2);
    }
  }

  /** Output and gradient values of one case. */
  record Values(float[] output, float[] gradient) {}

  private static Case conv2d(int f, int[] k, int[] s, boolean same, int groups, int[] dilation, long... shape) {
    int c = (int) shape[3];
    float[] kernel = ConvReference.wave(k[0] * k[1] * c / groups * f, 0.9);
    float[] bias = ConvReference.wave(f, 1.7);
    var spec = new ConvReference.Spec(k, s, dilation, same);
    String name = "Conv2D(" + f + ", kernel " + k[0] + "x" + k[1] + ", strides " + s[0] + "x" + s[1]
        + (same ? ", SAME" : ", VALID") + (groups > 1 ? ", groups " + groups : "")
        + (Pairs.anyAboveOne(dilation) ? ", dilation " + dilation[0] + "x" + dilation[1] : "")
        + ") on " + Shape.of(shape);
    return new Case(name,
        () -> new Conv2D(f, k, Activation.LINEAR).strides(s).padding(same ? Padding.SAME : Padding.VALID)
            .groups(groups).dilationRate(dilation).kernelInitializer(Constant.values(kernel))
            .biasInitializer(Constant.values(bias)),
        shape,
        x -> ConvReference.conv(x, (int) shape[0], (int) shape[1], (int) shape[2], c, kernel, f, groups, bias, spec));
  }

  private static Case conv1d(int f, int k, int s, Padding padding, int dilation, long... shape) {
    int c = (int) shape[2];
    float[] kernel = ConvReference.wave(k * c * f, 0.9);
    float[] bias = ConvReference.wave(f, 1.7);
    int span = dilation * (k - 1) + 1;
    String name = "Conv1D(" + f + ", kernel " + k + ", strides " + s + ", " + padding
        + (dilation > 1 ? ", dilation " + dilation : "") + ") on " + Shape.of(shape);
    return new Case(name,
        () -> new Conv1D(f, k).strides(s).dilationRate(dilation).padding(padding)
            .kernelInitializer(Constant.values(kernel)).biasInitializer(Constant.values(bias)),
        shape,
        x -> {
          int b = (int) shape[0];
          int n = (int) shape[1];
          float[] in = x;
          if (padding == Padding.CAUSAL) {
            in = new float[b * (n + span - 1) * c];
            for (int i = 0; i < b; i++) {
              System.arraycopy(x, i * n * c, in, (i * (n + span - 1) + span - 1) * c, n * c);
            }
            n += span - 1;
          }
          var spec = new ConvReference.Spec(new int[] {1, k}, new int[] {1, s}, new int[] {1, dilation},
              padding == Padding.SAME);
          return ConvReference.conv(in, b, 1, n, c, kernel, f, 1, bias, spec);
        });
  }

  private static Case transpose(int f, int[] k, int[] s, boolean same, int[] outputPadding, int[] dilation,
      long[] shape, int[] out) {
    int c = (int) shape[3];
    float[] kernel = ConvReference.wave(k[0] * k[1] * f * c, 0.9);
    float[] bias = ConvReference.wave(f, 1.7);
    var spec = new ConvReference.Spec(k, s, dilation, same);
    String name = "Conv2DTranspose(" + f + ", kernel " + k[0] + "x" + k[1] + ", strides " + s[0] + "x" + s[1]
        + (same ? ", SAME" : ", VALID")
        + (outputPadding != null ? ", output_padding " + outputPadding[0] + "x" + outputPadding[1] : "")
        + (Pairs.anyAboveOne(dilation) ? ", dilation " + dilation[0] + "x" + dilation[1] : "")
        + ") on " + Shape.of(shape);
    return new Case(name,
        () -> {
          var layer = new Conv2DTranspose(f, k, Activation.LINEAR).strides(s).dilationRate(dilation)
              .padding(same ? Padding.SAME : Padding.VALID).kernelInitializer(Constant.values(kernel))
              .biasInitializer(Constant.values(bias));
          return outputPadding == null ? layer : layer.outputPadding(outputPadding);
        },
        shape,
        x -> ConvReference.transpose(x, (int) shape[0], (int) shape[1], (int) shape[2], c, kernel, f, bias, spec,
            out[0], out[1]));
  }

  private static Case pool(boolean max, int[] p, int[] s, boolean same, long... shape) {
    String name = (max ? "MaxPooling2D" : "AveragePooling2D") + "(" + p[0] + "x" + p[1] + ", strides " + s[0]
        + "x" + s[1] + (same ? ", SAME" : ", VALID") + ") on " + Shape.of(shape);
    Padding padding = same ? Padding.SAME : Padding.VALID;
    int b = (int) shape[0];
    int h = (int) shape[1];
    int w = (int) shape[2];
    int c = (int) shape[3];
    return new Case(name,
        () -> max ? new MaxPooling2D(p).strides(s).padding(padding) : new AveragePooling2D(p).strides(s).padding(padding),
        shape,
        x -> max ? PoolingReference.maxPool(x, b, h, w, c, p, s, same) : PoolingReference.averagePool(x, b, h, w, c, p, s, same));
  }

  private static Case global(String name, Supplier<Layer> layer, boolean max, long... shape) {
    int channels = (int) shape[shape.length - 1];
    int batch = (int) shape[0];
    int cells = (int) (Shape.of(shape).size() / batch / channels);
    return new Case(name + " on " + Shape.of(shape), layer, shape, x -> PoolingReference.global(x, batch, cells, channels, max));
  }

  /** The configurations, in a fixed order. */
  static List<Case> cases() {
    int[] one = {1, 1};
    int[] two = {2, 2};
    List<Case> cases = new ArrayList<>();
    // the seed model's convolution, and the layer tests' settings
    cases.add(conv2d(32, new int[] {3, 3}, one, false, 1, one, 2, 8, 8, 1));
    cases.add(conv2d(5, two, one, false, 1, one, 2, 5, 5, 4));
    cases.add(conv2d(2, two, two, true, 1, one, 2, 5, 5, 2));
    cases.add(conv2d(2, new int[] {3, 3}, one, true, 1, two, 1, 7, 3, 1));
    cases.add(conv2d(4, two, one, false, 2, one, 1, 3, 3, 4));
    // oneDNN-miscomputed on AMD EPYC AVX-512 (see OneDnnSafe)
    cases.add(conv2d(1, two, two, true, 1, one, 2, 4, 4, 1));
    cases.add(conv2d(2, two, one, false, 1, one, 1, 3, 3, 40));
    cases.add(conv2d(24, new int[] {3, 1}, one, false, 1, one, 2, 5, 1, 22));
    cases.add(conv2d(27, new int[] {4, 1}, new int[] {2, 3}, true, 1, one, 1, 8, 3, 50));
    cases.add(conv1d(3, 3, 1, Padding.VALID, 1, 2, 7, 2));
    cases.add(conv1d(3, 3, 2, Padding.SAME, 1, 2, 7, 2));
    cases.add(conv1d(2, 2, 1, Padding.CAUSAL, 2, 2, 7, 2));
    cases.add(conv1d(1, 3, 2, Padding.VALID, 1, 1, 9, 1));
    cases.add(conv1d(4, 1, 3, Padding.SAME, 1, 1, 8, 40));
    cases.add(transpose(5, two, two, false, null, one, new long[] {2, 4, 4, 4}, new int[] {8, 8}));
    cases.add(transpose(2, new int[] {3, 3}, two, true, null, one, new long[] {1, 3, 3, 2}, new int[] {6, 6}));
    cases.add(transpose(1, new int[] {3, 3}, new int[] {2, 3}, true, new int[] {1, 0}, one, new long[] {1, 3, 4, 1},
        new int[] {6, 10}));
    cases.add(transpose(2, new int[] {3, 3}, two, false, new int[] {1, 1}, one, new long[] {2, 3, 2, 1},
        new int[] {8, 6}));
    cases.add(transpose(2, new int[] {3, 3}, one, false, null, two, new long[] {1, 4, 3, 2}, new int[] {8, 7}));
    cases.add(transpose(1, new int[] {5, 5}, new int[] {3, 2}, false, new int[] {2, 0}, one, new long[] {1, 1, 3, 1},
        new int[] {7, 9}));
    cases.add(transpose(40, new int[] {3, 3}, one, false, null, one, new long[] {2, 3, 2, 3}, new int[] {5, 4}));
    cases.add(transpose(33, two, two, true, null, one, new long[] {1, 2, 3, 4}, new int[] {4, 6}));
    cases.add(transpose(3, one, two, false, null, one, new long[] {2, 3, 2, 1}, new int[] {6, 4}));
    cases.add(pool(true, two, two, false, 2, 4, 5, 3));
    cases.add(pool(true, new int[] {3, 3}, two, true, 1, 5, 5, 2));
    cases.add(pool(false, two, two, false, 2, 4, 5, 3));
    cases.add(pool(false, new int[] {3, 2}, new int[] {1, 2}, true, 1, 5, 4, 40));
    cases.add(global("GlobalAveragePooling2D", GlobalAveragePooling2D::new, false, 2, 3, 4, 5));
    cases.add(global("GlobalMaxPooling2D", GlobalMaxPooling2D::new, true, 2, 3, 4, 5));
    cases.add(global("GlobalAveragePooling1D", GlobalAveragePooling1D::new, false, 2, 6, 40));
    cases.add(global("GlobalMaxPooling1D", GlobalMaxPooling1D::new, true, 2, 6, 40));
    return cases;
  }

  /** Runs every case in this JVM: its output, and the gradient with respect to input and weights. */
  static Map<String, Values> run() {
    Map<String, Values> values = new LinkedHashMap<>();
    for (Case c : cases()) {
      GraphRuntime.reset();
      values.put(c.name(), run(c));
    }
    GraphRuntime.reset();
    return values;
  }

  private static Values run(Case c) {
    Layer layer = c.layer().get();
    Param x = new Param(c.input(), c.shape());
    TfFunction<TFloat32> output = TfFunction.returning(TFloat32.class, d -> layer.apply(x.apply(d), true));
    TfFunction<TFloat32> gradient = TfFunction.returning(TFloat32.class, d -> {
      Ops tf = TfFunction.ops();
      var tape = new GradientTape();
      Operand<TFloat32> objective;
      try (tape) {
        Operand<TFloat32> y = tf.reshape(layer.apply(x.apply(d), true), tf.constant(new int[] {-1}));
        Operand<TFloat32> index = tf.dtypes.cast(tf.range(tf.constant(0), tf.size(y), tf.constant(1)), TFloat32.class);
        objective = tf.sum(tf.math.mul(y, tf.math.sin(tf.math.add(tf.math.mul(index, tf.constant(1.7f)),
            tf.constant(0.3f)))), tf.constant(0));
      }
      List<Variable<TFloat32>> sources = new ArrayList<>(x.trainableVariables());
      sources.addAll(layer.trainableVariables());
      List<Operand<TFloat32>> flat = new ArrayList<>();
      for (Operand<TFloat32> g : tape.gradient(objective, sources)) {
        flat.add(tf.reshape(g, tf.constant(new int[] {-1})));
      }
      return flat.size() == 1 ? flat.get(0) : tf.concat(flat, tf.constant(0));
    });
    float[] dummy = {0f};
    return new Values(LayerConformance.call(output, Shape.of(1), dummy).values(),
        LayerConformance.call(gradient, Shape.of(1), dummy).values());
  }

  /** Prints each case as {@code CASE<tab>name<tab>output values<tab>gradient values}. */
  public static void main(String[] args) {
    for (Map.Entry<String, Values> e : run().entrySet()) {
      System.out.println(LINE + e.getKey() + "\t" + join(e.getValue().output()) + "\t" + join(e.getValue().gradient()));
    }
  }

  private static String join(float[] values) {
    StringBuilder sb = new StringBuilder();
    for (float v : values) {
      sb.append(sb.length() == 0 ? "" : " ").append(v);
    }
    return sb.toString();
  }

  static float[] parse(String values) {
    if (values.isEmpty()) {
      return new float[0];
    }
    String[] parts = values.split(" ");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Float.parseFloat(parts[i]);
    }
    return out;
  }
}
