package dev.tfkeras.kernel;

import dev.tfkeras.kernel.CellException.CompilationException;
import dev.tfkeras.kernel.CellException.EvaluationException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Evaluates notebook cells with JShell, in this JVM (JShell's {@code local} execution engine), so
 * that snippets use the classes and the TensorFlow native library the kernel itself loaded.
 *
 * <p>A cell may hold several snippets (statements, declarations, expressions); they run in order
 * and the first one that does not compile or throws stops the cell with a {@link CellException}.
 * What snippets print goes to {@code System.out}/{@code System.err} as they are at the time (the
 * kernel points them at the notebook). The value of the cell is the value of its last snippet if
 * that is an expression written without a closing semicolon ({@code x} shows x, {@code x;} shows
 * nothing, as in IJava and IPython): the object itself and its text as JShell renders it.
 *
 * <p>Every cell may call {@code display(value)} ({@link Display}, imported statically), and may
 * start with {@code %classpath} lines ({@link ClasspathMagic}).
 */
public final class JShellEvaluator implements AutoCloseable {

  /** The value of a cell: the object (null for a null value) and JShell's text of it. */
  public record Value(Object object, String text) {}

  private final JShell shell;
  private final ValueKeepingExecutionControl control;
  private volatile boolean stopRequested;

  /** A JShell whose compiler and class loader see the given class path entries. */
  public JShellEvaluator(List<String> classpath) {
    var engine = new ValueKeepingExecutionControl.Provider();
    this.shell = JShell.builder().executionEngine(engine, Map.of()).build();
    for (String entry : classpath) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    this.control = engine.control();
    evalSnippet("import static " + Display.class.getName() + ".display;");
  }

  /** The entries of a class path string such as {@code java.class.path}. */
  public static List<String> splitClasspath(String classpath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(entry);
      }
    }
    return entries;
  }

  /**
   * Runs a cell.
   *
   * @return JShell's text of the value of the last snippet if it is an expression with a value,
   *     written without a closing semicolon
   * @throws CellException if a snippet does not compile, is incomplete, or throws
   */
  public Optional<String> eval(String cell) throws CellException {
    return evaluate(cell).map(Value::text);
  }

  /**
   * Runs a cell: its leading {@code %classpath} lines, then its snippets.
   *
   * @return the value of the last snippet if it is an expression with a value
   * @throws CellException if a magic line is wrong, or a snippet does not compile, is incomplete,
   *     or throws
   */
  public Optional<Value> evaluate(String cell) throws CellException {
    stopRequested = false;
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = ClasspathMagic.apply(cell, shell::addToClasspath);
    Optional<Value> value = Optional.empty();
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == Completeness.EMPTY) {
        break;
      }
      if (info.completeness() == Completeness.DEFINITELY_INCOMPLETE) {
        throw new CompilationException(
            "Incomplete code at the end of the cell", List.of(remaining.strip()));
      }
      if (info.source() == null) { // not recognisable as a snippet: let the compiler say why
        value = evalSnippet(remaining);
        break;
      }
      value = evalSnippet(info.source());
      if (endsWithSemicolon(info.source())) {
        value = Optional.empty(); // written with its ';': shown by nothing, as IPython's "x;"
      }
      remaining = info.remaining();
    }
    return value;
  }

  /** Whether the snippet's code ends with ';', comments and blanks aside. */
  static boolean endsWithSemicolon(String source) {
    if (source.strip().endsWith(";")) {
      return true;
    }
    String code = source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ").strip();
    return code.endsWith(";");
  }

  private Optional<Value> evalSnippet(String source) throws CellException {
    Optional<Value> value = Optional.empty();
    control.takeValue();
    checkNotStopped();
    List<SnippetEvent> events = shell.eval(source);
    Object object = control.takeValue();
    checkNotStopped(); // JShell reports a stopped snippet as one that ended normally
    for (SnippetEvent event : events) {
      if (event.causeSnippet() != null) {
        continue; // an update of an earlier snippet this one replaced or affected
      }
      Snippet snippet = event.snippet();
      switch (event.status()) {
        case REJECTED -> throw compilationError(snippet);
        case RECOVERABLE_DEFINED, RECOVERABLE_NOT_DEFINED -> throw unresolved(snippet);
        default -> {}
      }
      if (event.exception() != null) {
        throw evaluationError(event.exception());
      }
      if (event.value() != null && isExpression(snippet)) {
        value = Optional.of(new Value(object, event.value()));
      }
    }
    return value;
  }

  private static boolean isExpression(Snippet snippet) {
    return snippet.kind() == Snippet.Kind.EXPRESSION
        || snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
  }

  private CompilationException compilationError(Snippet snippet) {
    List<String> lines = new ArrayList<>();
    String source = snippet.source();
    String first = null;
    for (Diag diag : shell.diagnostics(snippet).toList()) {
      String message = diag.getMessage(Locale.ROOT);
      if (first == null && diag.isError()) {
        first = message;
      }
      lines.add((diag.isError() ? "error: " : "warning: ") + message);
      lines.addAll(sourceLineWithCaret(source, (int) diag.getStartPosition()));
    }
    return new CompilationException(first != null ? first : "Does not compile: " + source.strip(), lines);
  }

  private CompilationException unresolved(Snippet snippet) {
    List<String> missing =
        snippet instanceof DeclarationSnippet declaration
            ? shell.unresolvedDependencies(declaration).toList()
            : List.of();
    String message =
        missing.isEmpty()
            ? "Refers to something undefined: " + snippet.source().strip()
            : "Refers to undefined " + String.join(", ", missing);
    return new CompilationException(message, List.of(snippet.source().strip()));
  }

  private static List<String> sourceLineWithCaret(String source, int position) {
    if (position < 0 || position > source.length()) {
      return List.of();
    }
    int start = source.lastIndexOf('\n', Math.max(0, position - 1)) + 1;
    int end = source.indexOf('\n', position);
    String line = source.substring(start, end < 0 ? source.length() : end);
    return List.of(line, " ".repeat(position - start) + "^");
  }

  private static EvaluationException evaluationError(JShellException exception) {
    String name =
        exception instanceof EvalException eval
            ? eval.getExceptionClassName()
            : exception instanceof UnresolvedReferenceException unresolved
                ? "Unresolved reference to " + unresolved.getSnippet().source().strip()
                : exception.getClass().getName();
    String message = exception.getMessage() != null ? name + ": " + exception.getMessage() : name;
    List<String> lines = new ArrayList<>();
    lines.add(message);
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t != exception) {
        String causeName = t instanceof EvalException eval ? eval.getExceptionClassName() : t.getClass().getName();
        lines.add("Caused by: " + causeName + (t.getMessage() != null ? ": " + t.getMessage() : ""));
      }
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith("jdk.jshell.") || frame.getClassName().startsWith("jdk.internal.reflect.")) {
          break; // JShell's own machinery below the cell
        }
        lines.add("\tat " + frame);
      }
    }
    return new EvaluationException(message, lines);
  }

  /** Completion candidates for the code before {@code cursor}; {@code anchor[0]} gets their start. */
  public List<String> complete(String code, int cursor, int[] anchor) {
    return shell.sourceCodeAnalysis().completionSuggestions(code, cursor, anchor).stream()
        .map(SourceCodeAnalysis.Suggestion::continuation)
        .distinct()
        .toList();
  }

  /** Whether the code is a complete set of snippets. */
  public Completeness completeness(String code) {
    return shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
  }

  /**
   * Stops the cell running now (Jupyter's interrupt): its running snippet is stopped, the
   * snippets after it do not run, and the cell fails with "Interrupted".
   */
  public void stop() {
    stopRequested = true;
    shell.stop();
  }

  private void checkNotStopped() {
    if (stopRequested) {
      String message = "Interrupted: the cell was stopped before its end.";
      throw new EvaluationException(message, List.of(message));
    }
  }

  @Override
  public void close() {
    shell.close();
  }
}
