package dev.tfkeras.kernel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * A Jupyter kernel for Java notebooks on tfkeras: JJava's messaging library ({@code jjava-jupyter})
 * speaks the Jupyter protocol, a {@link JShellEvaluator} runs the cells in this JVM. Cells are plain
 * Java (JShell syntax), optionally after {@code %classpath} lines. A cell's value, or what a cell
 * passes to {@code display(...)}, is shown as Jupyter shows rich output ({@link MimeBundle}):
 * images, pictures and charts as PNG, tables and maps as HTML, anything else as text.
 */
public final class TfKerasKernel extends BaseKernel {

  private final JShellEvaluator evaluator;

  public TfKerasKernel(JShellEvaluator evaluator) {
    super(
        "tfkeras-java",
        version(),
        new LanguageInfo.Builder("java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("java")
            .build(),
        List.of(),
        null,
        new JupyterIO(StandardCharsets.UTF_8),
        new CommManager(),
        new Renderer(),
        null,
        new MagicsRegistry(),
        false,
        new StringStyler.Builder().build());
    this.evaluator = evaluator;
    Display.setSink(this::displayNow);
  }

  /** {@code display(value)} from a running cell: its text so far first, then the value. */
  private void displayNow(Object value) {
    System.out.flush();
    System.err.flush();
    display(displayData(MimeBundle.of(value, null)));
  }

  static DisplayData displayData(Map<String, String> bundle) {
    var data = new DisplayData();
    bundle.forEach(data::putData);
    return data;
  }

  private static String version() {
    String version = TfKerasKernel.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }

  @Override
  public String getBanner() {
    return "Java " + Runtime.version() + " (JShell) with tfkeras";
  }

  @Override
  public Object evalRaw(String code) {
    return evaluator.evaluate(code).map(JShellEvaluator.Value::object).orElse(null);
  }

  @Override
  public DisplayData eval(String code) {
    var value = evaluator.evaluate(code);
    if (value.isEmpty()) {
      return null;
    }
    Map<String, String> bundle;
    try {
      bundle = MimeBundle.of(value.get().object(), value.get().text());
    } catch (IllegalStateException e) {
      throw CellException.evaluation(e);
    }
    return displayData(bundle);
  }

  @Override
  public List<String> formatError(Throwable error) {
    if (error instanceof CellException cell) {
      return cell.traceback();
    }
    return super.formatError(error);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    return null;
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<String> candidates = evaluator.complete(code, at, anchor);
    return candidates.isEmpty() ? null : new ReplacementOptions(candidates, anchor[0], at);
  }

  @Override
  public String isComplete(String code) {
    Completeness completeness = evaluator.completeness(code);
    return switch (completeness) {
      case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
      case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "";
      case UNKNOWN -> IS_COMPLETE_BAD;
    };
  }

  @Override
  public void interrupt() {
    evaluator.stop();
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    Display.setSink(null);
    evaluator.close();
  }
}
