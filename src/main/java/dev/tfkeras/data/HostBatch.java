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

  /** Copies {@code rows}, in order, into fresh arrays; unbatched elements get no batch axis. */
  static HostBatch gather(Row[] rows, boolean batched) {
    Slices spec = rows[0].slices();
    List<Column> columns = spec.columns();
    Object[] data = new Object[columns.size()];
    Shape[] shapes = new Shape[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      Column column = columns.get(c);
      Object target = column.type().newArray(rows.length * column.elementSize());
      for (int r = 0; r < rows.length; r++) {
        rows[r].slices().columns().get(c).copyElement(rows[r].index(), target, r);
      }
      data[c] = target;
      shapes[c] = batched ? column.elementShape().prepend(rows.length) : column.elementShape();
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
