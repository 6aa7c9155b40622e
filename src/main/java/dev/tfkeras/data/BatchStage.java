package dev.tfkeras.data;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Groups consecutive single-row elements into batches of {@code batchSize} rows (like {@code
 * tf.data.Dataset.batch}); the last batch is smaller unless {@code dropRemainder} drops it.
 */
final class BatchStage implements Stage {

  private final Stage input;
  private final int batchSize;
  private final boolean dropRemainder;

  BatchStage(Stage input, int batchSize, boolean dropRemainder) {
    this.input = input;
    this.batchSize = batchSize;
    this.dropRemainder = dropRemainder;
  }

  @Override
  public Cursor open(long pass) {
    Cursor source = input.open(pass);
    return new Cursor() {
      private Row[] pending;

      @Override
      public boolean hasNext() {
        if (pending == null) {
          pending = fill();
        }
        return pending != null;
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("all batches were returned");
        }
        Row[] batch = pending;
        pending = null;
        return batch;
      }

      private Row[] fill() {
        Row[] rows = new Row[batchSize];
        int count = 0;
        while (count < batchSize && source.hasNext()) {
          rows[count++] = source.next()[0];
        }
        if (count == batchSize) {
          return rows;
        }
        if (count == 0 || dropRemainder) {
          return null;
        }
        return Arrays.copyOf(rows, count);
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  @Override
  public long cardinality() {
    long rows = input.cardinality();
    if (rows == INFINITE) {
      return INFINITE;
    }
    return dropRemainder ? rows / batchSize : (rows + batchSize - 1) / batchSize;
  }

  @Override
  public Slices spec() {
    return input.spec();
  }
}
