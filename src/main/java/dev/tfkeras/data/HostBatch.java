package dev.tfkeras.data;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A gathered batch still in Java heap arrays. Prefetch threads only ever build these, so an
 * abandoned iteration leaves garbage for the collector and never leaks native tensor memory.
 */
record HostBatch(float[] features, Shape featureShape, int[] labels, Shape labelShape, int rows) {

  /** Copies the host arrays into new native tensors owned by the returned batch. */
  Batch toTensors() {
    TFloat32 featureTensor = TFloat32.tensorOf(featureShape, DataBuffers.of(features, true, false));
    try {
      TInt32 labelTensor = TInt32.tensorOf(labelShape, DataBuffers.of(labels, true, false));
      return new Batch(featureTensor, labelTensor, rows);
    } catch (RuntimeException | Error e) {
      featureTensor.close();
      throw e;
    }
  }
}
