package dev.tfkeras.data;

/** Gathers each batch on the caller's thread, when it is asked for (no prefetching). */
final class DirectSource implements HostBatchSource {

  private final Cursor elements;
  private final boolean batched;

  DirectSource(Cursor elements, boolean batched) {
    this.elements = elements;
    this.batched = batched;
  }

  @Override
  public HostBatch nextOrNull() {
    return elements.hasNext() ? HostBatch.gather(elements.next(), batched) : null;
  }

  @Override
  public void close() {
    elements.close();
  }
}
