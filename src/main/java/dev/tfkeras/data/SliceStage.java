package dev.tfkeras.data;

import java.util.NoSuchElementException;

/** The source stage: yields the examples of its slices in order, one element each. */
final class SliceStage implements Stage {

  private final Slices slices;

  SliceStage(Slices slices) {
    this.slices = slices;
  }

  @Override
  public Cursor open(long pass) {
    int count = slices.count();
    return new Cursor() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Row[] next() {
        if (next >= count) {
          throw new NoSuchElementException("all " + count + " examples were returned");
        }
        return new Row[] {new Row(slices, next++)};
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public long cardinality() {
    return slices.count();
  }

  @Override
  public Slices spec() {
    return slices;
  }
}
