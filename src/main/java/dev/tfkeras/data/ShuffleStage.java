package dev.tfkeras.data;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Shuffles its input with a reservoir buffer, exactly like {@code tf.data.Dataset.shuffle}: the
 * buffer is filled with the first {@code bufferSize} elements; each output is a uniformly random
 * buffer slot, which is then refilled with the next input element; once the input is exhausted
 * the buffer drains in random order.
 *
 * <p>The order of pass {@code k} is a pure function of the seed and {@code k}, so a seeded pipeline
 * replays the same sequence of epochs in every run, and epoch k of a resumed run is epoch k of the
 * uninterrupted one.
 */
final class ShuffleStage implements Stage {

  /** Rows per block of drawn chunk rows: a batch of 256 gathers from a few blocks. */
  private static final int DRAWN_BLOCK_ROWS = 64;

  private final Stage input;
  private final int bufferSize;
  private final long seed;
  private final boolean reshuffleEachIteration;

  ShuffleStage(Stage input, int bufferSize, long seed, boolean reshuffleEachIteration) {
    this.input = input;
    this.bufferSize = bufferSize;
    this.seed = seed;
    this.reshuffleEachIteration = reshuffleEachIteration;
  }

  @Override
  public Cursor open(long pass) {
    long rows = input.cardinality();
    int capacity = rows == INFINITE ? bufferSize : (int) Math.min(bufferSize, Math.max(1, rows));
    long order = reshuffleEachIteration ? pass : 0;
    return new Reservoir(input.open(pass), capacity, new SplittableRandom(epochSeed(seed, order)));
  }

  @Override
  public long cardinality() {
    return input.cardinality();
  }

  @Override
  public Slices spec() {
    return input.spec();
  }

  /** Stafford's mix13 of seed and pass, so that the random streams of passes do not overlap. */
  static long epochSeed(long seed, long pass) {
    long z = seed + (pass + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * One pass's shuffle buffer. A row of a generator's chunk is copied into the buffer's own columns
   * (and, when drawn, into a small block of the rows drawn in order), so that the buffer keeps no
   * chunk alive and the rows of a batch lie side by side; other rows, views of the dataset's
   * arrays or rows of their own, are kept as they are.
   */
  private static final class Reservoir implements Cursor {
    /** Marks a slot whose row is in {@link #store}. */
    private static final Row[] STORED = new Row[0];

    private final Cursor source;
    private final Row[][] slots;
    private final SplittableRandom random;
    private int filled;
    /** Copies of the chunk rows in the buffer, by slot; allocated on the first such row. */
    private Slices store;
    /** The block that drawn stored rows are copied into, in the order drawn, and its rows used. */
    private Slices drawn;
    private int drawnRows;

    Reservoir(Cursor source, int capacity, SplittableRandom random) {
      this.source = source;
      this.slots = new Row[capacity][];
      this.random = random;
    }

    @Override
    public boolean hasNext() {
      fill();
      return filled > 0;
    }

    @Override
    public Row[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the shuffle buffer is drained");
      }
      int slot = random.nextInt(filled);
      Row[] element = slots[slot] == STORED ? draw(slot) : slots[slot];
      if (source.hasNext()) {
        put(slot, source.next());
      } else {
        filled--;
        if (slots[filled] == STORED) {
          store.copyRow(filled, store, slot);
        }
        slots[slot] = slots[filled];
        slots[filled] = null;
      }
      return element;
    }

    @Override
    public void close() {
      Arrays.fill(slots, null);
      filled = 0;
      store = null;
      drawn = null;
      source.close();
    }

    private void fill() {
      while (filled < slots.length && source.hasNext()) {
        put(filled++, source.next());
      }
    }

    private void put(int slot, Row[] element) {
      Row row = element.length == 1 ? element[0] : null;
      if (row == null || !row.slices().isChunk()) {
        slots[slot] = element;
        return;
      }
      if (store == null) {
        store = Slices.allocate(row.slices(), slots.length);
      }
      row.slices().copyRow(row.index(), store, slot);
      slots[slot] = STORED;
    }

    /** The stored row of {@code slot}, copied out to the block of drawn rows. */
    private Row[] draw(int slot) {
      if (drawn == null || drawnRows == drawn.count()) {
        drawn = Slices.allocate(store, DRAWN_BLOCK_ROWS);
        drawnRows = 0;
      }
      store.copyRow(slot, drawn, drawnRows);
      return new Row[] {new Row(drawn, drawnRows++)};
    }
  }
}
