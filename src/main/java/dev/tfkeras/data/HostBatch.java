package dev.tfkeras.data;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TType;

/**
 * A gathered batch still in Java heap arrays, one per column. Prefetch threads only ever build
 * these, so an abandoned iteration leaves garbage for the collector and never leaks native memory.
 */
final class HostBatch {

  private final Slices spec;
  private final Object[] data;
  private final Shape[] shapes;
  private final int rows;

  private HostBatch(Slices spec, Object[] data, Shape[] shapes, int rows) {
    this.spec = spec;
    this.data = data;
    this.shapes = shapes;
    this.rows = rows;
  }

  /**
   * Copies {@code rows}, in order, into fresh arrays; unbatched elements get no batch axis. Rows
   * that follow each other in the same slices (an unshuffled pass over a chunk or an array) are
   * copied as one run per column.
   */
  static HostBatch gather(Row[] rows, boolean batched) {
    Slices spec = rows[0].slices();
    List<Column> columns = spec.columns();
    Object[] data = new Object[columns.size()];
    Shape[] shapes = new Shape[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      Column column = columns.get(c);
      data[c] = column.type().newArray(rows.length * column.elementSize());
      shapes[c] = batched ? column.elementShape().prepend(rows.length) : column.elementShape();
    }
    int start = 0;
    while (start < rows.length) {
      Slices slices = rows[start].slices();
      int first = rows[start].index();
      int end = start + 1;
      while (end < rows.length && rows[end].slices() == slices && rows[end].index() == first + end - start) {
        end++;
      }
      List<Column> source = slices.columns();
      for (int c = 0; c < data.length; c++) {
        source.get(c).copyElements(first, end - start, data[c], start);
      }
      start = end;
    }
    for (int c = 0; c < data.length; c++) {
      data[c] = columns.get(c).type().hostValues(data[c]);
    }
    return new HostBatch(spec, data, shapes, rows.length);
  }

  /** Copies the host arrays into new native tensors owned by the returned batch. */
  Batch toTensors() {
    List<TType> tensors = new ArrayList<>(data.length);
    try {
      for (int c = 0; c < data.length; c++) {
        Tensor tensor = spec.columns().get(c).type().tensor(shapes[c], data[c]);
        tensors.add((TType) tensor);
      }
    } catch (RuntimeException | Error e) {
      tensors.forEach(Tensor::close);
      throw e;
    }
    return new Batch(tensors, spec.featureCount(), spec.labelCount(), spec.weighted(), rows);
  }
}
