package dev.tfkeras.kernel;

import dev.tfkeras.kernel.CellException.CompilationException;
import dev.tfkeras.kernel.CellException.EvaluationException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * that is an expression, as JShell renders it.
 */
public final class JShellEvaluator implements AutoCloseable {

  private final JShell shell;

  /** A JShell whose compiler and class loader see the given class path entries. */
  public JShellEvaluator(List<String> classpath) {
    this.shell = JShell.builder().executionEngine("local").build();
    for (String entry : classpath) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
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
   * @return the value of the last snippet if it is an expression with a value
   * @throws CellException if a snippet does not compile, is incomplete, or throws
   */
  public Optional<String> eval(String cell) throws CellException {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = cell;
    Optional<String> value = Optional.empty();
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
      remaining = info.remaining();
    }
    return value;
  }

  private Optional<String> evalSnippet(String source) throws CellException {
    Optional<String> value = Optional.empty();
    for (SnippetEvent event : shell.eval(source)) {
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
        value = Optional.of(event.value());
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

  /** Asks the snippet running now to stop (Jupyter's interrupt). */
  public void stop() {
    shell.stop();
  }

  @Override
  public void close() {
    shell.close();
  }
}
