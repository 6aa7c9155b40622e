package dev.tfkeras.layers;

/**
 * Plain-Java pooling as TensorFlow defines it, for {@code x (b, h, w, c)}: windows of {@code pool}
 * every {@code strides}; SAME pads as conv2d does and a window reduces only the pixels inside the
 * image (padding never wins a max, never counts in an average).
 */
final class PoolingReference {

  private PoolingReference() {}

  static float[] maxPool(float[] x, int b, int h, int w, int c, int[] pool, int[] strides, boolean same) {
    return pool(x, b, h, w, c, pool, strides, same, true);
  }

  static float[] averagePool(float[] x, int b, int h, int w, int c, int[] pool, int[] strides, boolean same) {
    return pool(x, b, h, w, c, pool, strides, same, false);
  }

  /** Max (or mean) of each (example, channel) over all other axes: the global pooling layers. */
  static float[] global(float[] x, int b, int cells, int c, boolean max) {
    float[] out = new float[b * c];
    for (int n = 0; n < b; n++) {
      for (int k = 0; k < c; k++) {
        double acc = max ? Double.NEGATIVE_INFINITY : 0;
        for (int p = 0; p < cells; p++) {
          float v = x[(n * cells + p) * c + k];
          acc = max ? Math.max(acc, v) : acc + v / (double) cells;
        }
        out[n * c + k] = (float) acc;
      }
    }
    return out;
  }

  private static float[] pool(
      float[] x, int b, int h, int w, int c, int[] pool, int[] strides, boolean same, boolean max) {
    var spec = new ConvReference.Spec(pool, strides, new int[] {1, 1}, same);
    int oh = spec.convOut(0, h);
    int ow = spec.convOut(1, w);
    int ph = spec.padBefore(0, h, oh);
    int pw = spec.padBefore(1, w, ow);
    float[] out = new float[b * oh * ow * c];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int k = 0; k < c; k++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int r = Math.max(i * strides[0] - ph, 0); r < Math.min(i * strides[0] - ph + pool[0], h); r++) {
              for (int s = Math.max(j * strides[1] - pw, 0); s < Math.min(j * strides[1] - pw + pool[1], w); s++) {
                float v = x[((n * h + r) * w + s) * c + k];
                acc = max ? Math.max(acc, v) : acc + v;
                count++;
              }
            }
            out[((n * oh + i) * ow + j) * c + k] = (float) (max ? acc : acc / count);
          }
        }
      }
    }
    return out;
  }
}
