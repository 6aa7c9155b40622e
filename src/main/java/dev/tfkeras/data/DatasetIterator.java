package dev.tfkeras.data;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One pass (epoch) over a {@link Dataset}. Each {@link #next()} creates the batch's native tensors
 * on the calling thread; the caller owns and closes them.
 *
 * <p>Closing the iterator, reaching the end of the pass or a failure in the pipeline releases the
 * pass's resources: its prefetch thread, if any, and the files a {@code fromNpyFiles} source has
 * open. Simply dropping the iterator releases them once it is garbage collected.
 */
public final class DatasetIterator implements Iterator<Batch>, AutoCloseable {

  private static final Cleaner CLEANER = Cleaner.create();

  private final HostBatchSource source;
  private final Cleaner.Cleanable cleanable;
  private HostBatch pending;
  private boolean exhausted;
  private boolean closed;

  DatasetIterator(HostBatchSource source) {
    this.source = source;
    this.cleanable = CLEANER.register(this, source::close);
  }

  @Override
  public boolean hasNext() {
    if (closed || exhausted) {
      return false;
    }
    if (pending == null) {
      try {
        pending = source.nextOrNull();
      } catch (RuntimeException | Error e) {
        // A failed pass ends here: its files are closed now, not when this iterator is collected.
        exhausted = true;
        cleanable.clean();
        throw e;
      }
      if (pending == null) {
        exhausted = true;
        cleanable.clean();
      }
    }
    return pending != null;
  }

  /** The next batch; the caller must close it. */
  @Override
  public Batch next() {
    if (closed) {
      throw new IllegalStateException(
          "this dataset iterator was closed; call dataset.iterator() for a new pass");
    }
    if (!hasNext()) {
      throw new NoSuchElementException("this pass over the dataset has no more batches");
    }
    HostBatch batch = pending;
    pending = null;
    return batch.toTensors();
  }

  /** Ends this pass early and stops any prefetch thread; idempotent. */
  @Override
  public void close() {
    closed = true;
    pending = null;
    cleanable.clean();
  }
}
