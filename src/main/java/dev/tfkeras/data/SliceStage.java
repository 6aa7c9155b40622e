package dev.tfkeras.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** The source stage: yields the slice indices 0..count-1 in order, one element per slice. */
final class SliceStage implements Stage {

  private final int count;

  SliceStage(int count) {
    this.count = count;
  }

  @Override
  public Iterator<int[]> open() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public int[] next() {
        if (next >= count) {
          throw new NoSuchElementException("all " + count + " slices were returned");
        }
        return new int[] {next++};
      }
    };
  }

  @Override
  public long cardinality() {
    return count;
  }
}
