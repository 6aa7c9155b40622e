package dev.tfkeras.kernel;

import java.util.function.Consumer;

/**
 * {@code display(value)} for notebook cells (imported statically into every cell): shows a
 * picture, chart or table at that point of the cell, as the value of a cell would be shown, and
 * lets the cell go on. Outside a notebook kernel it prints the value's text.
 */
public final class Display {

  private static volatile Consumer<Object> sink;

  private Display() {}

  /** Shows {@code value} now: images, pictures and charts as PNG, tables and maps as HTML, else text. */
  public static void display(Object value) {
    Consumer<Object> current = sink;
    if (current == null) {
      System.out.println(value);
    } else {
      current.accept(value);
    }
  }

  /** Where {@link #display} sends values: the running kernel; null to print them. */
  static void setSink(Consumer<Object> newSink) {
    sink = newSink;
  }
}
