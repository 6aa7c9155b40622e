package dev.tfkeras.data;

import java.util.Collections;
import java.util.NoSuchElementException;

/**
 * Repeats its input {@code count} times, or forever when {@code count} is {@link #FOREVER} (like
 * {@code tf.data.Dataset.repeat}); a shuffle before it gives every repetition its own order.
 */
final class RepeatStage implements Stage {

  static final long FOREVER = -1;

  private final Stage input;
  private final long count;

  RepeatStage(Stage input, long count) {
    this.input = input;
    this.count = count;
  }

  @Override
  public Cursor open(long pass) {
    return new Cursor() {
      private long repetition;
      private Cursor current = Cursor.of(Collections.emptyIterator());

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          current.close();
          if (count != FOREVER && repetition >= count) {
            return false;
          }
          current = input.open(innerPass(pass, repetition++));
          if (!current.hasNext() && input.cardinality() == 0) {
            return false; // an empty input repeated forever is still empty
          }
        }
        return true;
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("repeat(" + count + ") returned all its elements");
        }
        return current.next();
      }

      @Override
      public void close() {
        current.close();
      }
    };
  }

  /** Each repetition of each pass a pass number of its own for the stages below. */
  private long innerPass(long pass, long repetition) {
    return count == FOREVER ? (pass << 32) + repetition : pass * count + repetition;
  }

  @Override
  public long cardinality() {
    long in = input.cardinality();
    if (in == 0) {
      return 0;
    }
    return in == INFINITE || count == FOREVER ? INFINITE : in * count;
  }

  @Override
  public Slices spec() {
    return input.spec();
  }
}
