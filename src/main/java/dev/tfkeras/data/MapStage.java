package dev.tfkeras.data;

import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;

/**
 * Applies a Java function to every example on the host (like {@code tf.data.Dataset.map}), on the
 * thread that runs the pipeline: the prefetch thread when the dataset prefetches. Every result must
 * have the structure, dtypes and shapes of the first one, so that results can be batched.
 */
final class MapStage implements Stage {

  private final Stage input;
  private final UnaryOperator<Example> function;
  private volatile Slices spec;

  MapStage(Stage input, UnaryOperator<Example> function) {
    this.input = input;
    this.function = function;
  }

  @Override
  public Cursor open(long pass) {
    Cursor source = input.open(pass);
    return new Cursor() {
      private long index;

      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the mapped dataset returned all its elements");
        }
        return new Row[] {new Row(apply(source.next()[0], index++), 0)};
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  /** Maps one example and checks the result against the first one's spec; thread-safe. */
  Slices apply(Row row, long index) {
    Example result = function.apply(row.slices().example(row.index()));
    if (result == null) {
      throw new IllegalStateException(
          "The map function returned null for element " + index + "; it must return an Example,"
              + " e.g. Example.of(features, labels).");
    }
    Slices mapped = Slices.ofExample(result);
    Slices expected = spec;
    if (expected == null) {
      synchronized (this) {
        if (spec == null) {
          spec = mapped;
        }
        expected = spec;
      }
    }
    if (expected != mapped && !expected.sameSpec(mapped)) {
      throw new IllegalStateException(
          "The map function returned " + mapped.spec(false, 0) + " for element " + index
              + " but " + expected.spec(false, 0) + " for the first element; every result must"
              + " have the same structure, dtypes and shapes so that they can be batched.");
    }
    return mapped;
  }

  @Override
  public long cardinality() {
    return input.cardinality();
  }

  /** Found by mapping the first example, once. */
  @Override
  public Slices spec() {
    if (spec == null) {
      try (Cursor first = input.open(0)) {
        if (!first.hasNext()) {
          return input.spec(); // nothing to map: the spec is never used for data
        }
        apply(first.next()[0], 0);
      }
    }
    return spec;
  }
}
