package dev.tfkeras.data;

import java.util.NoSuchElementException;

/**
 * Keeps some of its input's features, in a given order ({@link Dataset#selectFeatures}): each row
 * is re-pointed at a view of its slices with the chosen input columns, nothing is copied.
 */
final class SelectStage implements Stage {

  private final Stage input;
  private final int[] indices;

  SelectStage(Stage input, int[] indices) {
    this.input = input;
    this.indices = indices.clone();
  }

  @Override
  public Cursor open(long pass) {
    Cursor source = input.open(pass);
    return new Cursor() {
      // Rows of an in-memory dataset share one Slices: its view is made once, not per row.
      private Slices lastSource;
      private Slices lastView;

      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the dataset returned all its elements");
        }
        Row[] rows = source.next();
        Row[] selected = new Row[rows.length];
        for (int r = 0; r < rows.length; r++) {
          selected[r] = new Row(view(rows[r].slices()), rows[r].index());
        }
        return selected;
      }

      private Slices view(Slices slices) {
        if (slices != lastSource) {
          lastSource = slices;
          lastView = slices.selectFeatures(indices);
        }
        return lastView;
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
    return input.spec().selectFeatures(indices);
  }
}
