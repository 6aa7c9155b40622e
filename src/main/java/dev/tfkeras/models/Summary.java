package dev.tfkeras.models;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.variables.Variable;
import java.util.Locale;

/** Keras's {@code model.summary()} table. */
final class Summary {

  private static final int NAME = 29;
  private static final int SHAPE = 26;
  private static final int LINE = 65;

  private Summary() {}

  static String render(Model model) {
    StringBuilder out = new StringBuilder();
    out.append("Model: \"").append(model.name()).append("\"\n");
    out.append("_".repeat(LINE)).append('\n');
    out.append(row("Layer (type)", "Output Shape", "Param #")).append('\n');
    out.append("=".repeat(LINE)).append('\n');
    boolean first = true;
    for (Layer layer : model.layers()) {
      if (!first) {
        out.append('\n');
      }
      first = false;
      String shape = layer.outputShape() == null ? "?" : Layer.format(layer.outputShape());
      out.append(
              row(layer.name() + " (" + layer.getClass().getSimpleName() + ")", shape, String.format(Locale.ROOT, "%,d", layer.countParams())))
          .append('\n');
    }
    out.append("=".repeat(LINE)).append('\n');
    long trainable = model.trainableVariables().stream().mapToLong(Variable::size).sum();
    long frozen = model.nonTrainableVariables().stream().mapToLong(Variable::size).sum();
    out.append(total("Total params", trainable + frozen));
    out.append(total("Trainable params", trainable));
    out.append(total("Non-trainable params", frozen));
    out.append("_".repeat(LINE)).append('\n');
    return out.toString();
  }

  private static String row(String name, String shape, String params) {
    return String.format(Locale.ROOT, " %-" + (NAME - 1) + "s %-" + (SHAPE - 1) + "s %s", fit(name, NAME - 1), fit(shape, SHAPE - 1), params)
        .stripTrailing();
  }

  private static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }

  private static String total(String label, long params) {
    return String.format(Locale.ROOT, "%s: %,d (%s)%n", label, params, bytes(params * 4));
  }

  /** Keras's readable size: 10.57 MB for 2,770,634 float32 parameters. */
  static String bytes(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
  }
}
