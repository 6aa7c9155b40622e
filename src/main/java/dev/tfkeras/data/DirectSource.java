package dev.tfkeras.data;

import java.util.Iterator;

/** Gathers each batch on the caller's thread, when it is asked for (no prefetching). */
final class DirectSource implements HostBatchSource {

  private final Iterator<int[]> elements;
  private final TensorSlices slices;
  private final boolean batched;

  DirectSource(Iterator<int[]> elements, TensorSlices slices, boolean batched) {
    this.elements = elements;
    this.slices = slices;
    this.batched = batched;
  }

  @Override
  public HostBatch nextOrNull() {
    return elements.hasNext() ? slices.gather(elements.next(), batched) : null;
  }

  @Override
  public void close() {}
}
