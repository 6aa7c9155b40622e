package dev.tfkeras.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A {@link MapStage} whose function runs on {@code parallelism} threads at once, like {@code
 * tf.data.Dataset.map(f, num_parallel_calls=n)} with its default {@code deterministic=True}: up to
 * {@code 2 × parallelism} examples are being mapped ahead of the one returned, and results come
 * back in input order. Each pass has its own threads (daemons), stopped when the pass ends, fails
 * or is closed, so memory holds at most that many mapped examples whatever the dataset's size.
 */
final class ParallelMapStage implements Stage {

  static final String THREAD_NAME_PREFIX = "tfkeras-dataset-map-";
  private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();

  private final Stage input;
  private final MapStage mapper;
  private final int parallelism;

  ParallelMapStage(Stage input, UnaryOperator<Example> function, int parallelism) {
    this.input = input;
    this.mapper = new MapStage(input, function);
    this.parallelism = parallelism;
  }

  @Override
  public Cursor open(long pass) {
    return new Pass(input.open(pass));
  }

  @Override
  public long cardinality() {
    return input.cardinality();
  }

  @Override
  public Slices spec() {
    return mapper.spec();
  }

  private static ThreadFactory daemons() {
    return task -> {
      Thread thread = new Thread(task, THREAD_NAME_PREFIX + THREAD_COUNTER.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One pass: a window of mapped examples in flight, returned in order. */
  private final class Pass implements Cursor {
    private final Cursor source;
    private final ExecutorService threads = Executors.newFixedThreadPool(parallelism, daemons());
    private final Deque<Future<Slices>> inFlight = new ArrayDeque<>();
    private long submitted;
    private boolean closed;

    Pass(Cursor source) {
      this.source = source;
    }

    @Override
    public boolean hasNext() {
      if (closed) {
        return false;
      }
      fill();
      if (inFlight.isEmpty()) {
        close();
        return false;
      }
      return true;
    }

    @Override
    public Row[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the mapped dataset returned all its elements");
      }
      Future<Slices> head = inFlight.removeFirst();
      try {
        Slices mapped = head.get();
        fill();
        return new Row[] {new Row(mapped, 0)};
      } catch (ExecutionException e) {
        close();
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException("the map function failed: " + cause, cause);
      } catch (InterruptedException e) {
        close();
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while waiting for a mapped example");
      }
    }

    /** Submits examples until the window is full or the input is exhausted. */
    private void fill() {
      while (inFlight.size() < 2 * parallelism && source.hasNext()) {
        Row row = source.next()[0];
        long index = submitted++;
        inFlight.addLast(threads.submit(() -> mapper.apply(row, index)));
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        inFlight.forEach(f -> f.cancel(true));
        inFlight.clear();
        threads.shutdownNow();
        source.close();
      }
    }
  }
}
