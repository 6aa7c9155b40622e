package dev.tfkeras.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Yields at most {@code limit} elements of its input (like {@code tf.data.Dataset.take}). */
final class TakeStage implements Stage {

  private final Stage input;
  private final long limit;

  TakeStage(Stage input, long limit) {
    this.input = input;
    this.limit = limit;
  }

  @Override
  public Iterator<int[]> open() {
    Iterator<int[]> source = input.open();
    return new Iterator<>() {
      private long taken;

      @Override
      public boolean hasNext() {
        return taken < limit && source.hasNext();
      }

      @Override
      public int[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("take(" + limit + ") returned all its elements");
        }
        taken++;
        return source.next();
      }
    };
  }

  @Override
  public long cardinality() {
    return Math.min(limit, input.cardinality());
  }
}
