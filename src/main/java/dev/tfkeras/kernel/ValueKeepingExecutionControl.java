package dev.tfkeras.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's local execution engine (snippets run in this JVM, stoppable as usual) that also keeps
 * the object the last snippet evaluated to: JShell itself hands back only its string, and a
 * notebook must show a picture as a picture.
 *
 * <p>Each snippet's method runs through {@link #trampoline}, which calls it and keeps the result;
 * exceptions pass through unwrapped, so JShell reports them as before.
 */
final class ValueKeepingExecutionControl extends LocalExecutionControl {

  private static final Method TRAMPOLINE;

  static {
    try {
      TRAMPOLINE = ValueKeepingExecutionControl.class.getDeclaredMethod("trampoline");
      TRAMPOLINE.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The snippet method being run and its result; one snippet at a time in this JVM (class lock).
  private static Method target;
  private static Object result;

  private Object last;

  /** The provider to pass to {@code JShell.builder().executionEngine}. */
  static final class Provider implements ExecutionControlProvider {
    private ValueKeepingExecutionControl control;

    @Override
    public String name() {
      return "tfkeras-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
      control = new ValueKeepingExecutionControl();
      return control;
    }

    /** The engine generated for the JShell built with this provider. */
    ValueKeepingExecutionControl control() {
      if (control == null) {
        throw new IllegalStateException("No JShell has been built with this execution engine yet.");
      }
      return control;
    }
  }

  @Override
  protected String invoke(Method doit) throws Exception {
    synchronized (ValueKeepingExecutionControl.class) {
      last = null;
      target = doit;
      result = null;
      try {
        String text = super.invoke(TRAMPOLINE);
        last = result;
        return text;
      } finally {
        target = null;
        result = null;
      }
    }
  }

  @SuppressWarnings("unused") // called reflectively by LocalExecutionControl, on its snippet thread
  private static Object trampoline() throws Throwable {
    try {
      Object value = target.invoke(null);
      result = value;
      return value;
    } catch (InvocationTargetException e) {
      throw e.getCause(); // as if the snippet's own method had thrown it
    }
  }

  /** A cell's last line naming a variable: JShell reads the variable instead of running code. */
  @Override
  public String varValue(String className, String varName)
      throws RunException, EngineTerminationException, InternalException {
    String text = super.varValue(className, varName);
    try {
      Field field = findClass(className).getDeclaredField(varName);
      field.setAccessible(true);
      last = field.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      last = null; // shown as text only
    }
    return text;
  }

  /** The object of the last snippet run or variable read, then forgets it. */
  Object takeValue() {
    Object value = last;
    last = null;
    return value;
  }
}
