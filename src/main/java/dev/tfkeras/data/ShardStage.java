package dev.tfkeras.data;

import java.util.NoSuchElementException;

/**
 * Yields every {@code numShards}-th element of its input from element {@code index} on (like
 * {@code tf.data.Dataset.shard}): element i belongs to shard {@code i % numShards}.
 */
final class ShardStage implements Stage {

  private final Stage input;
  private final long numShards;
  private final long index;

  ShardStage(Stage input, long numShards, long index) {
    this.input = input;
    this.numShards = numShards;
    this.index = index;
  }

  @Override
  public Cursor open(long pass) {
    Cursor source = input.open(pass);
    return new Cursor() {
      private Row[] next;
      private long position;

      @Override
      public boolean hasNext() {
        while (next == null && source.hasNext()) {
          Row[] element = source.next();
          if (position++ % numShards == index) {
            next = element;
          }
        }
        return next != null;
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("shard(" + numShards + ", " + index + ") returned all its elements");
        }
        Row[] element = next;
        next = null;
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
    long in = input.cardinality();
    if (in == INFINITE) {
      return INFINITE;
    }
    return in / numShards + (index < in % numShards ? 1 : 0);
  }

  @Override
  public Slices spec() {
    return input.spec();
  }
}
