package dev.tfkeras.layers.preprocessing;

/**
 * Plain-Java reference of TensorFlow's ImageProjectiveTransformV3 (image_ops.h) for one NHWC image
 * batch: each output pixel (x, y) samples the input at (a0 x + a1 y + a2, b0 x + b1 y + b2), the
 * point mapped into the image by the fill mode, then read nearest (rounded half away from zero) or
 * bilinearly, any pixel outside the image reading {@code fill}.
 */
final class AffineReference {

  private AffineReference() {}

  static float[] transform(float[] x, int b, int h, int w, int c, double[] t, String interpolation,
      String fillMode, float fill) {
    float[] out = new float[x.length];
    for (int n = 0; n < b; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          double inX = map(t[0] * j + t[1] * i + t[2], w, fillMode);
          double inY = map(t[3] * j + t[4] * i + t[5], h, fillMode);
          for (int k = 0; k < c; k++) {
            double v;
            if (interpolation.equals("nearest")) {
              v = read(x, n, h, w, c, k, roundHalfAway(inY), roundHalfAway(inX), fill);
            } else {
              double y0 = Math.floor(inY), x0 = Math.floor(inX), y1 = y0 + 1, x1 = x0 + 1;
              double top = (x1 - inX) * read(x, n, h, w, c, k, y0, x0, fill) + (inX - x0) * read(x, n, h, w, c, k, y0, x1, fill);
              double bottom = (x1 - inX) * read(x, n, h, w, c, k, y1, x0, fill) + (inX - x0) * read(x, n, h, w, c, k, y1, x1, fill);
              v = (y1 - inY) * top + (inY - y0) * bottom;
            }
            out[((n * h + i) * w + j) * c + k] = (float) v;
          }
        }
      }
    }
    return out;
  }

  private static double roundHalfAway(double v) {
    return Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
  }

  private static double read(float[] x, int n, int h, int w, int c, int k, double y, double xx, float fill) {
    if (y < 0 || y > h - 1 || xx < 0 || xx > w - 1) {
      return fill;
    }
    return x[((n * h + (int) y) * w + (int) xx) * c + k];
  }

  /** TF's MapCoordinate for each fill mode. */
  static double map(double coord, int len, String fillMode) {
    double in = coord;
    switch (fillMode) {
      case "constant":
        return in;
      case "nearest":
        return clamp(in, len);
      case "reflect":
        if (in < 0) {
          if (len <= 1) {
            in = 0;
          } else {
            long sz2 = 2L * len;
            in = sz2 * (long) (-in / sz2) + in;
            in = in < -len ? in + sz2 : -in - 1;
          }
        } else if (in > len - 1) {
          if (len <= 1) {
            in = 0;
          } else {
            long sz2 = 2L * len;
            in -= sz2 * (long) (in / sz2);
            if (in >= len) {
              in = sz2 - in - 1;
            }
          }
        }
        return clamp(in, len);
      case "wrap":
        if (in < 0) {
          if (len <= 1) {
            in = 0;
          } else {
            long sz = len - 1;
            in += len * ((long) (-in / sz) + 1);
          }
        } else if (in > len - 1) {
          if (len <= 1) {
            in = 0;
          } else {
            long sz = len - 1;
            in -= len * (long) (in / sz);
          }
        }
        return clamp(in, len);
      default:
        throw new IllegalArgumentException(fillMode);
    }
  }

  private static double clamp(double v, int len) {
    return Math.max(0, Math.min(len - 1, v));
  }
}
