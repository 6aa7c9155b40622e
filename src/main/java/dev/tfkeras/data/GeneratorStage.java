package dev.tfkeras.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

/**
 * The source stage of {@link Dataset#fromGenerator} and {@link Dataset#fromChunkGenerator}: one
 * iterator per pass, of examples (each copied into a one-row slices) or of chunks (each copied
 * into slices of its rows, which the pass then yields one by one, so that a source read a chunk at
 * a time costs a copy per chunk, not objects per row). Every example or chunk is checked against
 * the first one's structure, and the pass against the promised number of examples.
 */
final class GeneratorStage implements Stage {

  private final Callable<? extends Iterator<Example>> generator;
  private final long cardinality;
  /** Whether the generator yields chunks of rows (a leading axis) rather than single examples. */
  private final boolean chunked;
  private volatile Slices spec;

  GeneratorStage(Callable<? extends Iterator<Example>> generator, long cardinality, boolean chunked) {
    this.generator = generator;
    this.cardinality = cardinality;
    this.chunked = chunked;
  }

  @Override
  public Cursor open(long pass) {
    Iterator<Example> examples = start();
    return new Cursor() {
      /** Examples yielded so far. */
      private long index;
      /** Generator items (examples or chunks) read so far. */
      private long items;
      private Slices chunk;
      private int inChunk;
      private boolean closed;

      @Override
      public boolean hasNext() {
        if (closed) {
          return false;
        }
        while (chunk == null || inChunk == chunk.count()) {
          boolean more = examples.hasNext();
          if (more && index == cardinality && !chunked) {
            throw tooMany(); // (a chunk is read first: it may be empty)
          }
          if (!more) {
            if (index < cardinality) {
              close();
              throw new IllegalStateException(
                  "The generator ended after " + index + " examples, but the dataset was made with"
                      + " cardinality " + cardinality + "; every pass must yield the same examples.");
            }
            return false;
          }
          chunk = copy(examples.next(), items++);
          inChunk = 0;
        }
        if (index == cardinality) {
          throw tooMany(); // a chunk with more rows than the count leaves
        }
        return true;
      }

      private IllegalStateException tooMany() {
        close();
        return new IllegalStateException(
            "The generator yields more than the " + cardinality + " examples the dataset was"
                + " made with (Dataset." + (chunked ? "fromChunkGenerator" : "fromGenerator")
                + "(generator, " + cardinality + ")); pass the exact count.");
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the generator's pass returned all its examples");
        }
        index++;
        return new Row[] {new Row(chunk, inChunk++)};
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          chunk = null;
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

  /** The example or chunk copied and checked; null for a chunk of no rows. */
  private Slices copy(Example example, long index) {
    String what = chunked ? "chunk" : "example";
    if (example == null) {
      throw new IllegalStateException(
          "The generator returned null for " + what + " " + index + "; it must return Examples.");
    }
    if (chunked && isEmpty(example)) {
      return null; // skipped: no rows, and arrays whose dtype an empty one may not tell
    }
    Slices copied = chunked ? Slices.ofChunk(example, index) : Slices.ofExample(example);
    Slices expected = spec;
    if (expected == null) {
      spec = copied;
    } else if (!expected.sameSpec(copied)) {
      throw new IllegalStateException(
          "The generator returned " + copied.spec(chunked, Shape.UNKNOWN_SIZE) + " for " + what + " "
              + index + " but " + expected.spec(chunked, Shape.UNKNOWN_SIZE) + " for the first one;"
              + " every " + what + " must have the same structure, dtypes and shapes so that "
              + (chunked ? "their rows" : "they") + " can be batched.");
    }
    return copied;
  }

  /** Whether every array of a chunk has a first axis of 0 rows. */
  private static boolean isEmpty(Example chunk) {
    List<NdArray<?>> arrays = new ArrayList<>();
    for (int i = 0; i < chunk.featureCount(); i++) {
      arrays.add(chunk.features(i));
    }
    for (int i = 0; i < chunk.labelCount(); i++) {
      arrays.add(chunk.labels(i));
    }
    if (chunk.hasSampleWeight()) {
      arrays.add(chunk.sampleWeight());
    }
    return arrays.stream().allMatch(a -> a.rank() > 0 && a.shape().get(0) == 0);
  }

  @Override
  public long cardinality() {
    return cardinality;
  }

  /** Found from the first example or chunk of a pass, once. */
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
