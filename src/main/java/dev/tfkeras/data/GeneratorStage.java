package dev.tfkeras.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * The source stage of {@link Dataset#fromGenerator}: one iterator of examples per pass, each
 * example copied into a one-row slices, checked against the first example's structure and against
 * the promised number of examples.
 */
final class GeneratorStage implements Stage {

  private final Callable<? extends Iterator<Example>> generator;
  private final long cardinality;
  private volatile Slices spec;

  GeneratorStage(Callable<? extends Iterator<Example>> generator, long cardinality) {
    this.generator = generator;
    this.cardinality = cardinality;
  }

  @Override
  public Cursor open(long pass) {
    Iterator<Example> examples = start();
    return new Cursor() {
      private long index;
      private boolean closed;

      @Override
      public boolean hasNext() {
        if (closed) {
          return false;
        }
        boolean more = examples.hasNext();
        if (more && index == cardinality) {
          close();
          throw new IllegalStateException(
              "The generator yields more than the " + cardinality + " examples the dataset was"
                  + " made with (Dataset.fromGenerator(generator, " + cardinality + ")); pass the"
                  + " exact count.");
        }
        if (!more && index < cardinality) {
          close();
          throw new IllegalStateException(
              "The generator ended after " + index + " examples, but the dataset was made with"
                  + " cardinality " + cardinality + "; every pass must yield the same examples.");
        }
        return more;
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the generator's pass returned all its examples");
        }
        return new Row[] {new Row(copy(examples.next(), index++), 0)};
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          if (examples instanceof AutoCloseable closeable) {
            try {
              closeable.close();
            } catch (Exception e) {
              // a reader's close: the pass's data was already read, nothing is lost
            }
          }
        }
      }
    };
  }

  private Iterator<Example> start() {
    Iterator<Example> examples;
    try {
      examples = generator.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("The dataset's generator failed to start a pass: " + e, e);
    }
    if (examples == null) {
      throw new IllegalStateException("The dataset's generator returned null instead of an iterator.");
    }
    return examples;
  }

  private Slices copy(Example example, long index) {
    if (example == null) {
      throw new IllegalStateException(
          "The generator returned null for example " + index + "; it must return Examples.");
    }
    Slices copied = Slices.ofExample(example);
    Slices expected = spec;
    if (expected == null) {
      spec = copied;
    } else if (!expected.sameSpec(copied)) {
      throw new IllegalStateException(
          "The generator returned " + copied.spec(false, 0) + " for example " + index + " but "
              + expected.spec(false, 0) + " for the first one; every example must have the same"
              + " structure, dtypes and shapes so that they can be batched.");
    }
    return copied;
  }

  @Override
  public long cardinality() {
    return cardinality;
  }

  /** Found from the first example of a pass, once. */
  @Override
  public Slices spec() {
    if (spec == null) {
      try (Cursor first = open(0)) {
        first.next();
      }
    }
    return spec;
  }
}
