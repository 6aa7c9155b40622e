package dev.tfkeras.data;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Part {@code index} of each batch of its input split into {@code numParts} consecutive parts of
 * sizes as even as possible (the first {@code rows % numParts} parts one row larger): the share of
 * each global batch one replica of a distribution strategy trains on.
 */
final class BatchPartStage implements Stage {

  private final Stage input;
  private final int numParts;
  private final int index;

  BatchPartStage(Stage input, int numParts, int index) {
    this.input = input;
    this.numParts = numParts;
    this.index = index;
  }

  @Override
  public Cursor open(long pass) {
    Cursor source = input.open(pass);
    return new Cursor() {
      private long batch;

      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("shardBatches(" + numParts + ", " + index + ") returned all its batches");
        }
        Row[] rows = source.next();
        long at = batch++;
        if (rows.length < numParts) {
          throw new IllegalStateException(
              "Batch " + at + " has " + rows.length + " examples, fewer than the " + numParts
                  + " parts it is split into (shardBatches(" + numParts + ", " + index + ")): every"
                  + " replica needs at least one example per step. Batch with dropRemainder=true"
                  + " (batch(size, true)) so that the last, smaller batch is dropped, or make the"
                  + " batch size at least the number of replicas.");
        }
        return Arrays.copyOfRange(rows, start(rows.length, index), start(rows.length, index + 1));
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  /** The first row of part {@code part} of a batch of {@code rows} rows. */
  private int start(int rows, int part) {
    int size = rows / numParts;
    int larger = rows % numParts;
    return part * size + Math.min(part, larger);
  }

  /** The rows of this stage's part of a batch of {@code rows} rows. */
  int partSize(int rows) {
    return start(rows, index + 1) - start(rows, index);
  }

  @Override
  public long cardinality() {
    return input.cardinality();
  }

  @Override
  public Slices spec() {
    return input.spec();
  }
}
