package dev.tfkeras.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.tensorflow.ndarray.Shape;

/**
 * The source stage of {@link Dataset#fromNpyFiles}: the rows of one {@code .npy} file per input,
 * target and sample weight, read in order, a chunk of rows at a time, on every pass.
 *
 * <p>Memory is bounded by one chunk per file (about {@link #CHUNK_BYTES} each, reused through the
 * pass) whatever the files' size: each row is copied out of the chunk into an example of its own,
 * so that a shuffle buffer downstream holds its {@code bufferSize} examples and nothing more, never
 * the chunks they were read from. Files are opened when a pass reads its first row and closed when
 * it ends, fails or its cursor is closed.
 */
final class NpyStage implements Stage {

  /** Bytes of the widest file's rows read at once (at least one row). */
  static final int CHUNK_BYTES = 1 << 18;

  private final List<NpyArrayFile> files;
  private final Slices spec;
  private final long rows;
  private final int chunkRows;

  private NpyStage(List<NpyArrayFile> files, Slices spec, int chunkBytes) {
    this.files = files;
    this.spec = spec;
    this.rows = files.get(0).rows();
    long widest = files.stream().mapToLong(NpyArrayFile::rowBytes).max().orElse(1);
    this.chunkRows = (int) Math.max(1, Math.min(rows, chunkBytes / Math.max(1, widest)));
  }

  /**
   * Checks the files' headers and that they hold the same number of rows.
   *
   * @param x one file per input; {@code y} one per target (empty for inference data); {@code
   *     sampleWeight} or null
   * @param chunkBytes bytes of the widest file's rows to read at once
   */
  static NpyStage open(List<Path> x, List<Path> y, Path sampleWeight, int chunkBytes)
      throws IOException {
    if (x.isEmpty()) {
      throw new IllegalArgumentException("x must hold at least one file, received an empty list.");
    }
    if (sampleWeight != null && y.isEmpty()) {
      throw new IllegalArgumentException(
          "sampleWeight was given without targets y; weights apply to the loss, which needs y.");
    }
    List<Path> paths = new ArrayList<>(x);
    paths.addAll(y);
    if (sampleWeight != null) {
      paths.add(sampleWeight);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      names.add(x.size() == 1 ? "x" : "x[" + i + "]");
    }
    for (int i = 0; i < y.size(); i++) {
      names.add(y.size() == 1 ? "y" : "y[" + i + "]");
    }
    names.add("sampleWeight");
    List<NpyArrayFile> files = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      Path path = paths.get(i);
      if (path == null) {
        throw new IllegalArgumentException(names.get(i) + " must not be null.");
      }
      NpyArrayFile file = NpyArrayFile.open(path);
      NpyArrayFile first = files.isEmpty() ? file : files.get(0);
      if (file.rows() != first.rows()) {
        throw new IllegalArgumentException(
            "Data cardinality is ambiguous: " + names.get(0) + " (" + first.path() + ") has "
                + first.rows() + " examples but " + names.get(i) + " (" + path + ") has "
                + file.rows() + ". Make sure all files contain the same number of samples (the"
                + " first axis).");
      }
      files.add(file);
      // an empty column of the file's dtype and element shape: the element spec
      HostType type = file.type();
      Shape none = file.elementShape().prepend(0);
      columns.add(Column.copyOf(type.view(none, type.newArray(0), 0, 0), names.get(i)));
    }
    if (files.get(0).rows() == 0) {
      throw new IllegalArgumentException(
          "The data must hold at least one example, received x (" + files.get(0).path() + ") of"
              + " shape " + Column.format(files.get(0).elementShape().prepend(0)) + ".");
    }
    int features = x.size();
    int labels = y.size();
    Slices spec =
        new Slices(
            columns.subList(0, features),
            columns.subList(features, features + labels),
            sampleWeight == null ? null : columns.get(columns.size() - 1));
    return new NpyStage(List.copyOf(files), spec, chunkBytes);
  }

  @Override
  public Cursor open(long pass) {
    return new Pass();
  }

  @Override
  public long cardinality() {
    return rows;
  }

  @Override
  public Slices spec() {
    return spec;
  }

  /** Rows read per chunk (for tests). */
  int chunkRows() {
    return chunkRows;
  }

  /** One pass: the files open from the first row read to the end, a failure or {@link #close()}. */
  private final class Pass implements Cursor {
    private NpyArrayFile.Reader[] readers;
    private long next;
    private int inChunk;
    private int chunkSize;
    private boolean closed;

    @Override
    public boolean hasNext() {
      if (!closed && next >= rows) {
        close();
      }
      return !closed;
    }

    @Override
    public Row[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException("all " + rows + " examples of the .npy files were returned");
      }
      if (inChunk == chunkSize) {
        readChunk();
      }
      List<Column> columns = new ArrayList<>(readers.length);
      for (NpyArrayFile.Reader reader : readers) {
        columns.add(Column.ofElement(reader.row(inChunk), "row"));
      }
      inChunk++;
      next++;
      int features = spec.featureCount();
      int labels = spec.labelCount();
      Slices example =
          new Slices(
              columns.subList(0, features),
              columns.subList(features, features + labels),
              spec.weighted() ? columns.get(columns.size() - 1) : null);
      return new Row[] {new Row(example, 0)};
    }

    private void readChunk() {
      try {
        if (readers == null) {
          readers = new NpyArrayFile.Reader[files.size()];
          for (int i = 0; i < readers.length; i++) {
            readers[i] = files.get(i).openPass(chunkRows);
          }
        }
        chunkSize = (int) Math.min(chunkRows, rows - next);
        for (NpyArrayFile.Reader reader : readers) {
          reader.read(next, chunkSize);
        }
        inChunk = 0;
      } catch (IOException e) {
        close();
        throw new UncheckedIOException(e.getMessage(), e);
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }

    @Override
    public void close() {
      closed = true;
      if (readers != null) {
        for (NpyArrayFile.Reader reader : readers) {
          if (reader != null) {
            try {
              reader.close();
            } catch (IOException ignored) {
              // a read-only file: nothing was written that closing could lose
            }
          }
        }
        readers = null;
      }
    }
  }
}
