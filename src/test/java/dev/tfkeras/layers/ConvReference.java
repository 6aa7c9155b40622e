package dev.tfkeras.layers;

/**
 * Plain-Java convolutions over row-major channels-last arrays, by the definitions TensorFlow's
 * ops follow, for exact-output tests.
 */
final class ConvReference {

  private ConvReference() {}

  /** Settings of one convolution along both spatial axes. */
  record Spec(int[] kernel, int[] strides, int[] dilation, boolean same) {
    int extent(int axis) {
      return dilation[axis] * (kernel[axis] - 1) + 1;
    }

    /** Output size of the convolution along {@code axis} for an input of {@code n}. */
    int convOut(int axis, int n) {
      return same ? (n + strides[axis] - 1) / strides[axis] : (n - extent(axis)) / strides[axis] + 1;
    }

    /** Zero padding before the input along {@code axis}, as TensorFlow's SAME puts it. */
    int padBefore(int axis, int n, int out) {
      if (!same) {
        return 0;
      }
      return Math.max((out - 1) * strides[axis] + extent(axis) - n, 0) / 2;
    }
  }

  /**
   * conv2d of {@code x (b, h, w, c)} with {@code kernel (kh, kw, c / groups, f)}, then {@code
   * bias}; returns {@code (b, oh, ow, f)}.
   */
  static float[] conv(float[] x, int b, int h, int w, int c, float[] kernel, int f, int groups,
      float[] bias, Spec spec) {
    int oh = spec.convOut(0, h);
    int ow = spec.convOut(1, w);
    int ph = spec.padBefore(0, h, oh);
    int pw = spec.padBefore(1, w, ow);
    int kh = spec.kernel()[0];
    int kw = spec.kernel()[1];
    int cg = c / groups;
    int fg = f / groups;
    float[] out = new float[b * oh * ow * f];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int o = 0; o < f; o++) {
            int g = o / fg;
            double sum = bias == null ? 0 : bias[o];
            for (int a = 0; a < kh; a++) {
              int r = i * spec.strides()[0] - ph + a * spec.dilation()[0];
              for (int bb = 0; bb < kw; bb++) {
                int s = j * spec.strides()[1] - pw + bb * spec.dilation()[1];
                if (r < 0 || r >= h || s < 0 || s >= w) {
                  continue;
                }
                for (int ci = 0; ci < cg; ci++) {
                  float xv = x[((n * h + r) * w + s) * c + g * cg + ci];
                  float kv = kernel[((a * kw + bb) * cg + ci) * f + o];
                  sum += (double) xv * kv;
                }
              }
            }
            out[((n * oh + i) * ow + j) * f + o] = (float) sum;
          }
        }
      }
    }
    return out;
  }

  /**
   * The transposed convolution (the gradient of conv2d with respect to its input) of {@code x (b,
   * h, w, c)} with {@code kernel (kh, kw, f, c)} to an output {@code (b, oh, ow, f)}, plus {@code
   * bias}: each input pixel scatters {@code x · kernel} to the output pixels that conv2d would
   * have read it from.
   */
  static float[] transpose(float[] x, int b, int h, int w, int c, float[] kernel, int f,
      float[] bias, Spec spec, int oh, int ow) {
    int ph = spec.padBefore(0, oh, h);
    int pw = spec.padBefore(1, ow, w);
    int kh = spec.kernel()[0];
    int kw = spec.kernel()[1];
    double[] sums = new double[b * oh * ow * f];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          for (int a = 0; a < kh; a++) {
            int r = i * spec.strides()[0] - ph + a * spec.dilation()[0];
            for (int bb = 0; bb < kw; bb++) {
              int s = j * spec.strides()[1] - pw + bb * spec.dilation()[1];
              if (r < 0 || r >= oh || s < 0 || s >= ow) {
                continue;
              }
              for (int o = 0; o < f; o++) {
                for (int ci = 0; ci < c; ci++) {
                  sums[((n * oh + r) * ow + s) * f + o] +=
                      (double) x[((n * h + i) * w + j) * c + ci] * kernel[((a * kw + bb) * f + o) * c + ci];
                }
              }
            }
          }
        }
      }
    }
    float[] out = new float[sums.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sums[i] + (bias == null ? 0 : bias[i % f]));
    }
    return out;
  }

  /** Deterministic values in [-1, 1]: cos(0.7 i + phase). */
  static float[] wave(int n, double phase) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) Math.cos(0.7 * i + phase);
    }
    return out;
  }
}
