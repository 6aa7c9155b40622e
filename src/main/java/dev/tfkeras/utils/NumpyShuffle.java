package dev.tfkeras.utils;

import java.util.List;

/**
 * NumPy's legacy {@code np.random.RandomState(seed).shuffle(x)}: Mersenne Twister MT19937 seeded
 * as {@code init_genrand(seed)}, and a Fisher-Yates pass from the end whose swap index is drawn by
 * rejection in the smallest bit mask above the bound ({@code random_interval}). Keras shuffles the
 * files it lists with it, so that the same seed picks the same training and validation files in
 * Keras and here.
 */
final class NumpyShuffle {

  private static final int N = 624;
  private static final int M = 397;

  private final int[] state = new int[N];
  private int position;

  /** {@code RandomState(seed)}; seeds outside [0, 2^32 - 1] are refused, as NumPy does. */
  NumpyShuffle(long seed) {
    checkSeed(seed);
    state[0] = (int) seed;
    for (int i = 1; i < N; i++) {
      state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
    }
    position = N;
  }

  /** Refuses seeds outside [0, 2^32 - 1] with NumPy's message. */
  static long checkSeed(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new IllegalArgumentException(
          "Seed must be between 0 and 2**32 - 1, received: seed=" + seed);
    }
    return seed;
  }

  /** Shuffles {@code items} in place, as {@code RandomState.shuffle} does a list or a 1-D array. */
  <T> void shuffle(List<T> items) {
    for (int i = items.size() - 1; i > 0; i--) {
      int j = (int) interval(i);
      T swap = items.get(i);
      items.set(i, items.get(j));
      items.set(j, swap);
    }
  }

  /** {@link #shuffle(List)} for an int array. */
  void shuffle(int[] items) {
    for (int i = items.length - 1; i > 0; i--) {
      int j = (int) interval(i);
      int swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
  }

  /** A uniform integer in [0, max] for max below 2^32: NumPy's {@code random_interval}. */
  long interval(long max) {
    if (max == 0) {
      return 0;
    }
    long mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    long value;
    do {
      value = nextUint32() & mask;
    } while (value > max);
    return value;
  }

  /** The next 32-bit output of MT19937, as an unsigned value. */
  long nextUint32() {
    if (position >= N) {
      twist();
    }
    int y = state[position++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9D2C5680;
    y ^= (y << 15) & 0xEFC60000;
    y ^= y >>> 18;
    return y & 0xFFFFFFFFL;
  }

  private void twist() {
    for (int i = 0; i < N; i++) {
      int y = (state[i] & 0x80000000) | (state[(i + 1) % N] & 0x7FFFFFFF);
      int next = state[(i + M) % N] ^ (y >>> 1);
      state[i] = (y & 1) != 0 ? next ^ 0x9908B0DF : next;
    }
    position = 0;
  }
}
