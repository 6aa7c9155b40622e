package dev.tfkeras.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shuffles its input with a reservoir buffer, exactly like {@code tf.data.Dataset.shuffle}: the
 * buffer is filled with the first {@code bufferSize} elements; each output is a uniformly random
 * buffer slot, which is then refilled with the next input element; once the input is exhausted
 * the buffer drains in random order.
 *
 * <p>Every {@link #open()} starts a new epoch with its own order. The order of epoch {@code k} is
 * a pure function of the seed and {@code k}, so a seeded pipeline replays the same sequence of
 * epochs in every run.
 */
final class ShuffleStage implements Stage {

  private final Stage input;
  private final int bufferSize;
  private final long seed;
  private final AtomicLong epochs = new AtomicLong();

  ShuffleStage(Stage input, int bufferSize, long seed) {
    this.input = input;
    this.bufferSize = bufferSize;
    this.seed = seed;
  }

  @Override
  public Iterator<int[]> open() {
    long epoch = epochs.getAndIncrement();
    int capacity = (int) Math.min(bufferSize, Math.max(1, input.cardinality()));
    return new Reservoir(input.open(), capacity, new SplittableRandom(epochSeed(seed, epoch)));
  }

  @Override
  public long cardinality() {
    return input.cardinality();
  }

  /** Stafford's mix13 of seed and epoch, so that the random streams of epochs do not overlap. */
  static long epochSeed(long seed, long epoch) {
    long z = seed + (epoch + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** One epoch's shuffle buffer. */
  private static final class Reservoir implements Iterator<int[]> {
    private final Iterator<int[]> source;
    private final int[][] slots;
    private final SplittableRandom random;
    private int filled;

    Reservoir(Iterator<int[]> source, int capacity, SplittableRandom random) {
      this.source = source;
      this.slots = new int[capacity][];
      this.random = random;
    }

    @Override
    public boolean hasNext() {
      fill();
      return filled > 0;
    }

    @Override
    public int[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the shuffle buffer is drained");
      }
      int slot = random.nextInt(filled);
      int[] element = slots[slot];
      if (source.hasNext()) {
        slots[slot] = source.next();
      } else {
        slots[slot] = slots[filled - 1];
        slots[--filled] = null;
      }
      return element;
    }

    private void fill() {
      while (filled < slots.length && source.hasNext()) {
        slots[filled++] = source.next();
      }
    }
  }
}
