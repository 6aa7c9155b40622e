package dev.tfkeras.data;

import java.util.NoSuchElementException;

/**
 * Presents the uint8 inputs of its input stage as float32 ({@code cast(x, float32) / divisor}):
 * each row is pointed at columns that share the input's bytes and convert them through a 256-entry
 * table when a batch is gathered, so nothing is copied or converted ahead of time.
 */
final class Uint8ToFloat32Stage implements Stage {

  private final Stage input;
  private final float[] table;
  private final Slices spec;

  Uint8ToFloat32Stage(Stage input, float divisor) {
    this.input = input;
    this.table = new float[256];
    for (int b = 0; b < table.length; b++) {
      table[b] = b / divisor;
    }
    this.spec = input.spec().uint8FeaturesAsFloat32(table);
  }

  @Override
  public Cursor open(long pass) {
    Cursor source = input.open(pass);
    Slices inputSpec = input.spec();
    return new Cursor() {
      // Rows of a source stage all point at its spec's slices; a map stage makes new ones per row.
      private Slices from = inputSpec;
      private Slices to = spec;

      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("all elements were returned");
        }
        Row[] rows = source.next();
        Row[] converted = new Row[rows.length];
        for (int r = 0; r < rows.length; r++) {
          Slices slices = rows[r].slices();
          if (slices != from) {
            from = slices;
            to = slices.uint8FeaturesAsFloat32(table);
          }
          converted[r] = new Row(to, rows[r].index());
        }
        return converted;
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  @Override
  public long cardinality() {
    return input.cardinality();
  }

  @Override
  public Slices spec() {
    return spec;
  }
}
