package dev.tfkeras.distribute;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;

/**
 * The one place that reaches into TensorFlow Java's internals, which keep what distributed training
 * needs package-private (tensorflow/tensorflow#9420): a {@link Session} on a {@code grpc://} target
 * and the graph's list of initializers. Everything goes through reflection on {@code
 * org.tensorflow}'s own classes, which works when TensorFlow Java is on the class path (its jars
 * are then unnamed modules); on the module path it fails with a message that says so.
 *
 * <p>The session is opened as TensorFlow Java's own (private) {@code Session.allocate} does, with
 * the target set, and wrapped by the package-private {@code Session(Graph, TF_Session)}
 * constructor, which does not run initializers automatically: callers run them.
 */
final class TensorFlowInternals {

  private static final Method GRAPH_REF;
  private static final Method REF_HANDLE;
  private static final Method REF_CLOSE;
  private static final Method INITIALIZERS;
  private static final Constructor<Session> SESSION;
  private static final Method MARK_INITIALIZED;
  private static final Method RUN_NO_INIT;

  static {
    try {
      GRAPH_REF = accessible(Graph.class.getDeclaredMethod("ref"));
      Class<?> reference = GRAPH_REF.getReturnType();
      REF_HANDLE = accessible(reference.getDeclaredMethod("nativeHandle"));
      REF_CLOSE = accessible(reference.getDeclaredMethod("close"));
      INITIALIZERS = accessible(Graph.class.getDeclaredMethod("initializers"));
      RUN_NO_INIT = accessible(Session.Runner.class.getDeclaredMethod("runNoInit"));
      MARK_INITIALIZED = accessible(Session.class.getDeclaredMethod("markAllInitializersAsRan"));
      SESSION = accessible(Session.class.getDeclaredConstructor(Graph.class, TF_Session.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError(
          new IllegalStateException(
              "Distributed training needs TensorFlow Java 1.1.0's internal Graph.ref(),"
                  + " Graph.initializers(), Session(Graph, TF_Session), Session.markAllInitializersAsRan() and"
                  + " Session.Runner.runNoInit(), on the class path (not"
                  + " the module path): " + e, e));
    }
  }

  private TensorFlowInternals() {}

  private static <T extends java.lang.reflect.AccessibleObject> T accessible(T member) {
    member.setAccessible(true);
    return member;
  }

  /**
   * A session running {@code graph} on the TensorFlow server at {@code target} (such as {@code
   * grpc://localhost:2222}) with {@code config}. It does not run the graph's initializers by
   * itself.
   */
  static Session openSession(Graph graph, String target, ConfigProto config) {
    Object reference = invoke(GRAPH_REF, graph);
    try (PointerScope scope = new PointerScope()) {
      TF_Graph handle = (TF_Graph) invoke(REF_HANDLE, reference);
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
      tensorflow.TF_SetTarget(options, target);
      BytePointer bytes = new BytePointer(config.toByteArray());
      tensorflow.TF_SetConfig(options, bytes, bytes.capacity(), status);
      status.throwExceptionIfNotOK();
      TF_Session session = TF_Session.newSession(handle, options, status);
      status.throwExceptionIfNotOK();
      session.retainReference();
      try {
        return SESSION.newInstance(graph, session);
      } catch (InvocationTargetException e) {
        throw unwrap(e);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot wrap the session on " + target + ": " + e, e);
      }
    } finally {
      invoke(REF_CLOSE, reference);
    }
  }

  /** How many initializer ops the graph has. */
  @SuppressWarnings("unchecked")
  static int initializerCount(Graph graph) {
    return ((Set<Operation>) invoke(INITIALIZERS, graph)).size();
  }

  /** The graph's initializer ops, in the order they were added: new ones come last. */
  @SuppressWarnings("unchecked")
  static List<Operation> initializers(Graph graph) {
    Set<Operation> initializers = (Set<Operation>) invoke(INITIALIZERS, graph);
    synchronized (initializers) { // a synchronized set: iteration must hold its lock
      return new ArrayList<>(initializers);
    }
  }

  /**
   * Runs {@code initializers} (some of the graph's, as the caller chose) in {@code session}, then
   * marks all of the graph's initializers as run, so that the session runs the graph again.
   */
  static void runInitializers(Session session, List<Operation> initializers) {
    if (!initializers.isEmpty()) {
      Session.Runner runner = session.runner();
      initializers.forEach(runner::addTarget);
      ((org.tensorflow.Result) invoke(RUN_NO_INIT, runner)).close();
    }
    invoke(MARK_INITIALIZED, session);
  }

  private static Object invoke(Method method, Object target) {
    try {
      return method.invoke(target);
    } catch (InvocationTargetException e) {
      throw unwrap(e);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("Cannot call " + method + ": " + e, e);
    }
  }

  private static RuntimeException unwrap(InvocationTargetException e) {
    return e.getCause() instanceof RuntimeException runtime
        ? runtime
        : new IllegalStateException(e.getCause());
  }
}
