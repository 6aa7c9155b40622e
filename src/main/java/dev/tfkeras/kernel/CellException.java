package dev.tfkeras.kernel;

import java.util.List;

/**
 * A cell that did not run to the end: it did not compile, or it threw. The kernel reports it as a
 * Jupyter error, so {@code jupyter nbconvert --execute} stops on it. Unchecked, as JJava's
 * {@code BaseKernel.eval} declares none; the evaluator still declares it.
 */
public abstract class CellException extends RuntimeException {

  private final List<String> traceback;

  CellException(String message, List<String> traceback) {
    // No stack trace of its own: JJava puts the exception's frames into the execute reply, where
    // the kernel's frames would only hide the cell's error (nbconvert prints that reply).
    super(message, null, false, false);
    this.traceback = List.copyOf(traceback);
  }

  /** The lines Jupyter shows under the error: diagnostics or the stack trace. */
  public List<String> traceback() {
    return traceback;
  }

  /** The cell (or a snippet of it) did not compile, or refers to something undefined. */
  public static final class CompilationException extends CellException {
    CompilationException(String message, List<String> traceback) {
      super(message, traceback);
    }
  }

  /** A failure of the kernel's own work for the cell (showing its value), as one message. */
  static EvaluationException evaluation(RuntimeException e) {
    String message = e.getClass().getName() + ": " + e.getMessage();
    return new EvaluationException(message, List.of(message));
  }

  /** The cell compiled and threw; the message starts with the thrown exception's class. */
  public static final class EvaluationException extends CellException {
    EvaluationException(String message, List<String> traceback) {
      super(message, traceback);
    }
  }
}
