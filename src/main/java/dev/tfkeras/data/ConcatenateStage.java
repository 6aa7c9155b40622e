package dev.tfkeras.data;

import java.util.NoSuchElementException;

/** The elements of {@code first}, then those of {@code second} ({@code tf.data}'s concatenate). */
final class ConcatenateStage implements Stage {

  private final Stage first;
  private final Stage second;

  ConcatenateStage(Stage first, Stage second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public Cursor open(long pass) {
    return new Cursor() {
      private Cursor current = first.open(pass);
      private boolean onSecond;

      @Override
      public boolean hasNext() {
        if (!current.hasNext() && !onSecond) {
          current.close();
          onSecond = true;
          current = second.open(pass);
        }
        return current.hasNext();
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("both concatenated datasets returned all their elements");
        }
        return current.next();
      }

      @Override
      public void close() {
        current.close();
      }
    };
  }

  @Override
  public long cardinality() {
    long a = first.cardinality();
    long b = second.cardinality();
    return a == INFINITE || b == INFINITE ? INFINITE : a + b;
  }

  @Override
  public Slices spec() {
    return first.spec();
  }
}
