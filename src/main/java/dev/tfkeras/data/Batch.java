package dev.tfkeras.data;

import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One element of a {@link Dataset}: a features tensor and a labels tensor, owned by whoever
 * received the batch, who must close it ({@code for (Batch b : ds) try (b) { ... }}).
 *
 * <p>For a batched dataset the tensors have shape (rows, ...) and (rows); for an unbatched dataset
 * they hold a single element: the features' own shape and a scalar label, with {@link #size()} 1.
 */
public final class Batch implements AutoCloseable {

  private final TFloat32 features;
  private final TInt32 labels;
  private final int size;
  private boolean closed;

  Batch(TFloat32 features, TInt32 labels, int size) {
    this.features = features;
    this.labels = labels;
    this.size = size;
  }

  /** The features tensor; closed together with this batch. */
  public TFloat32 features() {
    checkOpen("features()");
    return features;
  }

  /** The labels tensor (int32 class indices); closed together with this batch. */
  public TInt32 labels() {
    checkOpen("labels()");
    return labels;
  }

  /** Number of rows (dataset elements) in this batch. */
  public int size() {
    return size;
  }

  /** Releases both tensors' native memory; calling it again does nothing. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        features.close();
      } finally {
        labels.close();
      }
    }
  }

  private void checkOpen(String accessor) {
    if (closed) {
      throw new IllegalStateException(
          "this batch was closed, so its tensors were released; call " + accessor + " before close()");
    }
  }

  @Override
  public String toString() {
    return closed
        ? "Batch(closed)"
        : "Batch(size=" + size + ", features=" + features.shape() + ", labels=" + labels.shape() + ")";
  }
}
