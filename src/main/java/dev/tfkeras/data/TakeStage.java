package dev.tfkeras.data;

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
  public Cursor open(long pass) {
    Cursor source = input.open(pass);
    return new Cursor() {
      private long taken;

      @Override
      public boolean hasNext() {
        return taken < limit && source.hasNext();
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("take(" + limit + ") returned all its elements");
        }
        taken++;
        return source.next();
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  @Override
  public long cardinality() {
    long in = input.cardinality();
    return in == INFINITE ? limit : Math.min(limit, in);
  }

  @Override
  public Slices spec() {
    return input.spec();
  }
}
