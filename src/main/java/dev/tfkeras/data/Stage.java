package dev.tfkeras.data;

import java.util.Iterator;

/**
 * One step of a {@link Dataset} pipeline: produces, for each new iteration, a stream of elements,
 * each element being the row indices (into the dataset's tensor slices) that make it up.
 *
 * <p>Unbatched elements hold one index; batched elements hold one index per row.
 */
interface Stage {

  /** Starts a new pass (epoch) over this stage; every call may yield a different order. */
  Iterator<int[]> open();

  /** Exact number of elements one pass yields. */
  long cardinality();
}
