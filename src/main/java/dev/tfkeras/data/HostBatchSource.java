package dev.tfkeras.data;

/** Where a {@link DatasetIterator} gets its next gathered host batch from. */
interface HostBatchSource {

  /** The next batch, or null when the pass is over. */
  HostBatch nextOrNull();

  /** Stops producing; idempotent and safe to call from any thread. */
  void close();
}
