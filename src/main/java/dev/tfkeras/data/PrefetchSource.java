package dev.tfkeras.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the pipeline (shuffling, map functions) and the host-side gathering on a daemon thread, keeping up to {@code
 * capacity} batches ready in a bounded queue so that they overlap the consumer's training step.
 *
 * <p>The thread holds no reference to the consuming iterator: it stops when the pass is over, on
 * {@link #close()}, or when the iterator becomes unreachable (its cleaner calls {@code close}). The
 * thread alone uses and then closes the pipeline's cursor; {@code close()} waits for it to, so that
 * a pass's files are closed once {@code close()} returns.
 */
final class PrefetchSource implements HostBatchSource {

  static final String THREAD_NAME_PREFIX = "tfkeras-dataset-prefetch-";
  private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final Thread thread;
  private boolean finished;

  PrefetchSource(Cursor elements, boolean batched, int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread =
        new Thread(
            new Producer(elements, batched, queue, cancelled),
            THREAD_NAME_PREFIX + THREAD_COUNTER.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public HostBatch nextOrNull() {
    if (finished) {
      return null;
    }
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next prefetched batch", e);
    }
    if (item instanceof HostBatch batch) {
      return batch;
    }
    finished = true;
    if (item instanceof Failure failure) {
      throw new IllegalStateException(
          "the prefetch thread failed while preparing a batch: " + failure.cause(), failure.cause());
    }
    return null;
  }

  @Override
  public void close() {
    if (cancelled.compareAndSet(false, true)) {
      thread.interrupt();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A producer-side failure, handed to the consumer in place of a batch. */
  private record Failure(Throwable cause) {}

  /** The thread body; static so it keeps no reference to the source or the iterator. */
  private static final class Producer implements Runnable {
    private final Cursor elements;
    private final boolean batched;
    private final BlockingQueue<Object> queue;
    private final AtomicBoolean cancelled;

    Producer(
        Cursor elements,
        boolean batched,
        BlockingQueue<Object> queue,
        AtomicBoolean cancelled) {
      this.elements = elements;
      this.batched = batched;
      this.queue = queue;
      this.cancelled = cancelled;
    }

    @Override
    public void run() {
      Object last = END;
      try (elements) {
        while (!cancelled.get() && elements.hasNext()) {
          if (!put(HostBatch.gather(elements.next(), batched))) {
            return;
          }
        }
      } catch (RuntimeException | Error e) {
        last = new Failure(e);
      }
      put(last);
    }

    /** Waits for room in the queue; false when the consumer went away first. */
    private boolean put(Object item) {
      try {
        while (!cancelled.get()) {
          if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            return true;
          }
        }
      } catch (InterruptedException e) {
        // close() interrupts us: the consumer is gone, nothing more to do.
      }
      return false;
    }
  }
}
