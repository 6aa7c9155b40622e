package dev.tfkeras.data;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Records the elements of the first complete pass and replays them on every later pass (like
 * {@code tf.data.Dataset.cache()} in memory): stages before it, such as an expensive {@code map},
 * run once. A pass abandoned halfway records nothing.
 */
final class CacheStage implements Stage {

  private final Stage input;
  private volatile List<Row[]> cached;

  CacheStage(Stage input) {
    this.input = input;
  }

  @Override
  public Cursor open(long pass) {
    List<Row[]> replay = cached;
    if (replay != null) {
      return Cursor.of(replay.iterator());
    }
    Cursor source = input.open(pass);
    List<Row[]> recording = new ArrayList<>();
    return new Cursor() {
      @Override
      public boolean hasNext() {
        boolean more = source.hasNext();
        if (!more && cached == null) {
          cached = List.copyOf(recording);
        }
        return more;
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("this pass over the cached dataset is over");
        }
        Row[] element = source.next();
        recording.add(element);
        return element;
      }

      @Override
      public void close() {
        source.close();
      }
    };
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
