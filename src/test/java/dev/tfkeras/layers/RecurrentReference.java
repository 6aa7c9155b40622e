package dev.tfkeras.layers;

/**
 * Keras's recurrent cells and its RNN loop in plain Java doubles, written from the equations of
 * keras/src/layers/rnn/{simple_rnn,lstm,gru}.py and backend/tensorflow/rnn.py, for tests to compare
 * the layers against. Weights are row-major as the layers hold them: kernel {@code (features, g *
 * units)}, recurrent kernel {@code (units, g * units)} with gates in Keras's order (LSTM i, f, c,
 * o; GRU z, r, h), bias {@code (g * units)} or, for a GRU with reset after, {@code (2, 3 * units)}.
 */
final class RecurrentReference {

  enum Cell {
    SIMPLE(1, 1),
    LSTM(4, 2),
    GRU(3, 1),
    GRU_RESET_BEFORE(3, 1);

    final int gates;
    final int states;

    Cell(int gates, int states) {
      this.gates = gates;
      this.states = states;
    }
  }

  /** Every step's output {@code [batch][time][units]} (in processing order) and the final states. */
  record Result(double[][][] sequence, double[][][] states) {

    double[][] last() {
      double[][] out = new double[sequence.length][];
      for (int b = 0; b < sequence.length; b++) {
        out[b] = sequence[b][sequence[b].length - 1];
      }
      return out;
    }
  }

  private final Cell cell;
  private final int units;
  private final int features;
  private final float[] kernel;
  private final float[] recurrent;
  private final float[] bias;
  private boolean goBackwards;
  private boolean zeroOutputForMask;

  /** {@code bias} may be null (no bias). */
  RecurrentReference(Cell cell, int units, int features, float[] kernel, float[] recurrent, float[] bias) {
    this.cell = cell;
    this.units = units;
    this.features = features;
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.bias = bias;
  }

  RecurrentReference goBackwards(boolean value) {
    goBackwards = value;
    return this;
  }

  RecurrentReference zeroOutputForMask(boolean value) {
    zeroOutputForMask = value;
    return this;
  }

  /**
   * Runs the loop over {@code x} ({@code batch x time x features}, row-major).
   *
   * @param mask {@code [batch][time]}, true = real step; or null
   * @param initial {@code [state][batch][units]}, or null for zeros
   */
  Result run(float[] x, int batch, int time, boolean[][] mask, double[][][] initial) {
    double[][][] states = new double[cell.states][batch][units];
    if (initial != null) {
      for (int s = 0; s < cell.states; s++) {
        for (int b = 0; b < batch; b++) {
          states[s][b] = initial[s][b].clone();
        }
      }
    }
    double[][][] sequence = new double[batch][time][];
    for (int b = 0; b < batch; b++) {
      double[] previousOutput = new double[units];
      for (int n = 0; n < time; n++) {
        int t = goBackwards ? time - 1 - n : n;
        double[] input = new double[features];
        for (int f = 0; f < features; f++) {
          input[f] = x[(b * time + t) * features + f];
        }
        double[][] current = new double[cell.states][];
        for (int s = 0; s < cell.states; s++) {
          current[s] = states[s][b];
        }
        double[][] next = step(input, current);
        boolean real = mask == null || mask[b][t];
        double[] output;
        if (real) {
          output = next[0];
          for (int s = 0; s < cell.states; s++) {
            states[s][b] = next[s];
          }
        } else {
          output = zeroOutputForMask ? new double[units] : previousOutput;
        }
        sequence[b][n] = output.clone();
        previousOutput = output;
      }
    }
    return new Result(sequence, states);
  }

  /** One cell step: the new states, the first being the output. */
  double[][] step(double[] x, double[][] states) {
    int g = cell.gates;
    double[] zx = new double[g * units];
    double[] zh = new double[g * units];
    double[] h = states[0];
    for (int j = 0; j < g * units; j++) {
      for (int f = 0; f < features; f++) {
        zx[j] += x[f] * kernel[f * g * units + j];
      }
      for (int u = 0; u < units; u++) {
        zh[j] += h[u] * recurrent[u * g * units + j];
      }
    }
    switch (cell) {
      case SIMPLE -> {
        double[] out = new double[units];
        for (int u = 0; u < units; u++) {
          out[u] = Math.tanh(zx[u] + b(u) + zh[u]);
        }
        return new double[][] {out};
      }
      case LSTM -> {
        double[] c = states[1];
        double[] newH = new double[units];
        double[] newC = new double[units];
        for (int u = 0; u < units; u++) {
          double i = sigmoid(zx[u] + zh[u] + b(u));
          double f = sigmoid(zx[units + u] + zh[units + u] + b(units + u));
          double cc = Math.tanh(zx[2 * units + u] + zh[2 * units + u] + b(2 * units + u));
          double o = sigmoid(zx[3 * units + u] + zh[3 * units + u] + b(3 * units + u));
          newC[u] = f * c[u] + i * cc;
          newH[u] = o * Math.tanh(newC[u]);
        }
        return new double[][] {newH, newC};
      }
      case GRU -> {
        // bias (2, 3u): row 0 input bias, row 1 recurrent bias
        double[] out = new double[units];
        for (int u = 0; u < units; u++) {
          double z = sigmoid(zx[u] + b(u) + zh[u] + b(3 * units + u));
          double r = sigmoid(zx[units + u] + b(units + u) + zh[units + u] + b(4 * units + u));
          double hh = Math.tanh(zx[2 * units + u] + b(2 * units + u) + r * (zh[2 * units + u] + b(5 * units + u)));
          out[u] = z * h[u] + (1 - z) * hh;
        }
        return new double[][] {out};
      }
      case GRU_RESET_BEFORE -> {
        double[] z = new double[units];
        double[] rh = new double[units];
        for (int u = 0; u < units; u++) {
          z[u] = sigmoid(zx[u] + b(u) + zh[u]);
          rh[u] = sigmoid(zx[units + u] + b(units + u) + zh[units + u]) * h[u];
        }
        double[] out = new double[units];
        for (int u = 0; u < units; u++) {
          double candidate = 0;
          for (int v = 0; v < units; v++) {
            candidate += rh[v] * recurrent[v * 3 * units + 2 * units + u];
          }
          double hh = Math.tanh(zx[2 * units + u] + b(2 * units + u) + candidate);
          out[u] = z[u] * h[u] + (1 - z[u]) * hh;
        }
        return new double[][] {out};
      }
      default -> throw new AssertionError(cell);
    }
  }

  private double b(int i) {
    return bias == null ? 0 : bias[i];
  }

  static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** Row-major flattening of {@code [batch][time][units]}. */
  static double[] flat(double[][][] values) {
    int n = 0;
    for (double[][] a : values) {
      for (double[] row : a) {
        n += row.length;
      }
    }
    double[] out = new double[n];
    int i = 0;
    for (double[][] a : values) {
      for (double[] row : a) {
        for (double v : row) {
          out[i++] = v;
        }
      }
    }
    return out;
  }

  /** Row-major flattening of {@code [batch][units]}. */
  static double[] flat(double[][] values) {
    return flat(new double[][][] {values});
  }
}
