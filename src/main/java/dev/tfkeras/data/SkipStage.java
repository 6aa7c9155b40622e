package dev.tfkeras.data;

/** Drops the first {@code count} elements of its input (like {@code tf.data.Dataset.skip}). */
final class SkipStage implements Stage {

  private final Stage input;
  private final long count;

  SkipStage(Stage input, long count) {
    this.input = input;
    this.count = count;
  }

  @Override
  public Cursor open(long pass) {
    Cursor source = input.open(pass);
    try {
      for (long i = 0; i < count && source.hasNext(); i++) {
        source.next();
      }
    } catch (RuntimeException | Error e) {
      source.close();
      throw e;
    }
    return source;
  }

  @Override
  public long cardinality() {
    long in = input.cardinality();
    return in == INFINITE ? INFINITE : Math.max(0, in - count);
  }

  @Override
  public Slices spec() {
    return input.spec();
  }
}
