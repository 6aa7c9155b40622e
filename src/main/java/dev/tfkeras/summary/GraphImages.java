package dev.tfkeras.summary;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;

/**
 * The tensor of TensorBoard's image summary built in the graph, as {@code image/summary_v2} does:
 * {@code [width, height, png...]} for the first {@code maxOutputs} images, each converted to uint8
 * as {@code tf.image.convert_image_dtype(x, uint8, saturate=True)} and PNG-encoded. The batch may be
 * smaller than {@code maxOutputs}: every slot is encoded (a zero image beyond the batch) and the
 * result cut to the batch's size, so no loop is needed.
 */
final class GraphImages {

  private GraphImages() {}

  static Operand<TString> encode(Ops tf, Operand<? extends TNumber> images, int maxOutputs) {
    long height = images.shape().get(1);
    long width = images.shape().get(2);
    long channels = images.shape().get(3);
    Operand<TFloat32> x = tf.dtypes.cast(images, TFloat32.class);
    // convert_image_dtype(float -> uint8, saturate): x * 255.5, clipped to [0, 255], truncated
    Operand<TFloat32> scaled = tf.clipByValue(tf.math.mul(x, tf.constant(255.5f)), tf.constant(0f), tf.constant(255f));
    Operand<TUint8> bytes = tf.dtypes.cast(tf.math.floor(scaled), TUint8.class);
    Operand<TInt32> batch = tf.reshape(tf.shape.size(tf.shape(bytes), tf.constant(0)), tf.constant(new long[0]));
    Operand<TInt32> count = tf.math.minimum(batch, tf.constant(maxOutputs));
    List<Operand<TString>> encoded = new ArrayList<>();
    encoded.add(tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects(Long.toString(width), Long.toString(height))));
    if (maxOutputs > 0) {
      // pad the batch to maxOutputs images so that each slot exists
      Operand<TInt32> missing = tf.math.maximum(tf.math.sub(tf.constant(maxOutputs), batch), tf.constant(0));
      Operand<TInt32> paddings = tf.stack(List.of(
          tf.stack(List.of(tf.constant(0), missing)),
          tf.constant(new int[] {0, 0}), tf.constant(new int[] {0, 0}), tf.constant(new int[] {0, 0})));
      Operand<TUint8> padded = tf.pad(bytes, paddings, tf.constant((byte) 0));
      List<Operand<TString>> pngs = new ArrayList<>();
      for (int i = 0; i < maxOutputs; i++) {
        Operand<TUint8> image = tf.squeeze(
            tf.slice(padded, tf.constant(new int[] {i, 0, 0, 0}), tf.constant(new int[] {1, (int) height, (int) width, (int) channels})),
            Squeeze.axis(0L));
        pngs.add(tf.reshape(tf.image.encodePng(image), tf.constant(new long[] {1})));
      }
      Operand<TString> all = tf.concat(pngs, tf.constant(0));
      encoded.add(tf.slice(all, tf.constant(new int[] {0}), tf.reshape(count, tf.constant(new long[] {1}))));
    }
    return tf.concat(encoded, tf.constant(0));
  }
}
