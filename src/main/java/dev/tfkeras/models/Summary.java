package dev.tfkeras.models;

import dev.tfkeras.layers.Layer;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.variables.Variable;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ndarray.Shape;

/**
 * Keras 3's {@code model.summary()}: the model's name, the box-drawn table of layers (with a {@code
 * Connected to} column for functional models that are not a plain chain), then the parameter
 * counts and sizes, and the optimizer's once it has state.
 */
final class Summary {

  private Summary() {}

  static String render(Model model) {
    List<Row> rows = model.summaryRows();
    boolean chain = rows.stream().allMatch(r -> r.connectedTo() == null);
    int columns = terminalColumns();
    SummaryTable table =
        chain
            ? new SummaryTable(
                Math.min(88, columns - 4),
                new double[] {0.45, 0.80, 1.0},
                new String[] {"Layer (type)", "Output Shape", "Param #"},
                new boolean[] {false, false, true})
            : new SummaryTable(
                Math.min(108, columns - 4),
                new double[] {0.3, 0.56, 0.74, 1.0},
                new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"},
                new boolean[] {false, false, true, false});
    for (Row row : rows) {
      Layer layer = row.layer();
      String name = row.name() + " (" + row.type() + ")";
      String params = layer.isBuilt() ? String.format(Locale.ROOT, "%,d", layer.countParams()) : "0 (unbuilt)";
      String shape = shapes(row.outputShapes());
      if (chain) {
        table.addRow(name, shape, params);
      } else {
        table.addRow(name, shape, params, row.connectedTo());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("Model: \"").append(model.name()).append("\"\n");
    out.append(table.render());
    List<Variable<?>> trainable = List.copyOf(model.isBuilt() ? model.trainableVariables() : List.of());
    List<Variable<?>> frozen = List.copyOf(model.isBuilt() ? model.nonTrainableVariables() : List.of());
    List<Variable<?>> optimizer = optimizerVariables(model);
    long total = count(trainable) + count(frozen) + count(optimizer);
    long totalBytes = bytesOf(trainable) + bytesOf(frozen) + bytesOf(optimizer);
    out.append(line("Total params", total, totalBytes));
    out.append(line("Trainable params", count(trainable), bytesOf(trainable)));
    out.append(line("Non-trainable params", count(frozen), bytesOf(frozen)));
    if (!optimizer.isEmpty()) {
      out.append(line("Optimizer params", count(optimizer), bytesOf(optimizer)));
    }
    return out.toString();
  }

  /** One table row: a layer, its type, the shapes of its outputs, and its inputs (null in a chain). */
  record Row(Layer layer, String name, String type, List<Shape> outputShapes, String connectedTo) {
    static Row of(Layer layer) {
      return of(layer, layer.name());
    }

    static Row of(Layer layer, String name) {
      return new Row(layer, name, layer.getClass().getSimpleName(), layer.outputShapes(), null);
    }
  }

  private static List<Variable<?>> optimizerVariables(Model model) {
    if (!model.isCompiled()) {
      return List.of();
    }
    Optimizer optimizer = model.optimizer();
    return optimizer.iterations() > 0 ? optimizer.variables() : List.of();
  }

  private static String shapes(List<Shape> shapes) {
    if (shapes == null || shapes.isEmpty()) {
      return "?";
    }
    if (shapes.size() == 1) {
      return Layer.format(shapes.get(0));
    }
    return "[" + String.join(", ", shapes.stream().map(Layer::format).toList()) + "]";
  }

  /** Keras asks the terminal's width ({@code COLUMNS}, else 80 as Python's shutil falls back). */
  private static int terminalColumns() {
    try {
      String columns = System.getenv("COLUMNS");
      return columns == null ? 80 : Math.max(20, Integer.parseInt(columns.trim()));
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  private static long count(Collection<Variable<?>> variables) {
    return variables.stream().mapToLong(Variable::size).sum();
  }

  private static long bytesOf(Collection<Variable<?>> variables) {
    long bytes = 0;
    for (Variable<?> v : variables) {
      String type = v.type().getSimpleName();
      int size = type.equals("TInt64") || type.equals("TFloat64") ? 8 : type.equals("TUint8") || type.equals("TBool") ? 1 : 4;
      bytes += v.size() * size;
    }
    return bytes;
  }

  private static String line(String label, long params, long bytes) {
    return String.format(Locale.ROOT, " %s: %,d (%s)\n", label, params, bytes(bytes));
  }

  /** Keras's readable size: 10.57 MB for 2,770,634 float32 parameters. */
  static String bytes(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
  }
}
