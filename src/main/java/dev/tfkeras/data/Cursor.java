package dev.tfkeras.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One pass over a {@link Stage}'s elements. Closing it releases what the pass holds (the open files
 * of a {@code fromNpyFiles} source) and closes the cursors it reads from; a {@link DatasetIterator}
 * closes its cursor when the pass ends, fails or is closed early.
 */
interface Cursor extends Iterator<Row[]>, AutoCloseable {

  /** Releases this pass's resources and those of its inputs; idempotent, never throws. */
  @Override
  void close();

  /** A cursor over elements that hold no resources, e.g. a cache's recorded pass. */
  static Cursor of(Iterator<Row[]> elements) {
    return new Cursor() {
      @Override
      public boolean hasNext() {
        return elements.hasNext();
      }

      @Override
      public Row[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException("this pass returned all its elements");
        }
        return elements.next();
      }

      @Override
      public void close() {}
    };
  }
}
