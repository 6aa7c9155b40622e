package dev.tfkeras.data;

/**
 * One step of a {@link Dataset} pipeline: produces, for each pass, a stream of elements, each an
 * array of the rows (examples) that make it up: one row before {@code batch}, one per batch row
 * after it. Rows point into the dataset's columns, so nothing is copied until a batch is gathered
 * (a {@code fromNpyFiles} source copies each row out of its file chunk once, and a shuffle the rows
 * of a {@code fromChunkGenerator} chunk into its buffer).
 */
interface Stage {

  /** {@link #cardinality()} of a stage that never ends. */
  long INFINITE = -1;

  /**
   * Starts a pass, which its caller closes. A shuffle's order is a function of its seed and {@code
   * pass} alone, so that pass k is the same whichever passes ran before it.
   */
  Cursor open(long pass);

  /** Exact number of elements one pass yields, or {@link #INFINITE}. */
  long cardinality();

  /** The columns whose structure, dtypes and element shapes every row of this stage has. */
  Slices spec();
}
