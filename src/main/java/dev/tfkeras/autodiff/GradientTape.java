package dev.tfkeras.autodiff;

import dev.tfkeras.function.Trace;
import dev.tfkeras.variables.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.types.family.TType;

/**
 * Records the forward computation of a traced function so that {@link #gradient} can
 * differentiate it, like {@code tf.GradientTape}.
 *
 * <p>The tape is symbolic: it does not store values. While it is open it marks the graph ops that
 * the trace adds; {@link #gradient} then adds gradient ops to the same graph ({@code
 * Graph.addGradients}), and they run on every call of the traced function. As in Keras, compute
 * gradients after the tape is closed, so the gradient ops themselves are not recorded.
 *
 * <pre>{@code
 * var tape = new GradientTape();
 * try (tape) {
 *   predictions = model.apply(images, true);
 *   loss = lossObject.call(labels, predictions);
 * }
 * var gradients = tape.gradient(loss, model.trainableVariables());
 * }</pre>
 *
 * <p>A variable that the target does not depend on gets a {@code null} gradient, as in Keras, and
 * {@code Optimizer.applyGradients} skips it with a warning.
 */
public final class GradientTape implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(GradientTape.class);
  private static final AtomicLong COUNTER = new AtomicLong();

  private final Trace trace;
  private final boolean persistent;
  private final Set<String> before;
  private Set<String> recorded;
  private boolean used;

  /** Opens a tape that computes gradients once. Must be created inside a traced function. */
  public GradientTape() {
    this(false);
  }

  private GradientTape(boolean persistent) {
    this.trace = Trace.current();
    this.persistent = persistent;
    this.before = opNames(trace.graph());
  }

  /** Opens a tape whose {@link #gradient} may be called several times. */
  public static GradientTape persistent() {
    return new GradientTape(true);
  }

  /** Stops recording. Ops added afterwards are not part of the tape. */
  @Override
  public void close() {
    if (recorded == null) {
      recorded = recordedSoFar();
    }
  }

  /**
   * Adds the ops that compute d{@code target}/d{@code source} for each source.
   *
   * @param target the value to differentiate, recorded by this tape (summed if not a scalar)
   * @param sources the variables to differentiate with respect to, e.g. {@code
   *     model.trainableVariables()}
   * @return one gradient per source, in order; {@code null} where the target does not depend on it
   * @throws IllegalStateException if called twice on a non-persistent tape, or outside the function
   *     that opened the tape
   * @throws IllegalArgumentException if the target was not computed while the tape was open
   */
  public <T extends TType> List<Operand<T>> gradient(
      Operand<T> target, List<Variable<T>> sources) {
    if (used && !persistent) {
      throw new IllegalStateException(
          "GradientTape.gradient was already called on this tape; a tape computes gradients once."
              + " Use GradientTape.persistent() to call gradient several times.");
    }
    if (!Trace.isActive() || Trace.current() != trace) {
      throw new IllegalStateException(
          "GradientTape.gradient must be called inside the traced function that opened the tape ('"
              + trace.functionName() + "').");
    }
    Set<String> tape = recorded != null ? recorded : recordedSoFar();
    String targetOp = target.op().name();
    if (!tape.contains(targetOp)) {
      throw new IllegalArgumentException(
          "The target '" + targetOp + "' was not computed while the tape was open, so it has no"
              + " recorded path to the variables. Compute the loss inside the try (tape) block.");
    }
    used = true;
    Graph graph = trace.graph();
    Set<String> ancestors =
        graph.subgraphTo(Set.of(target)).stream().map(GraphOperation::name).collect(Collectors.toSet());
    List<Output<?>> connected = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Variable<T> source : sources) {
      if (ancestors.contains(source.handle().op().name())) {
        connected.add(source.handle());
      } else {
        missing.add(source.path());
      }
    }
    if (!missing.isEmpty()) {
      LOG.warn("Gradients do not exist for variables {} when computing the gradient of '{}'.",
          missing, targetOp);
    }
    Output<?>[] grads =
        connected.isEmpty()
            ? new Output<?>[0]
            : graph.addGradients(
                "gradients_" + COUNTER.incrementAndGet(),
                new Output<?>[] {target.asOutput()},
                connected.toArray(new Output<?>[0]),
                null);
    List<Operand<T>> result = new ArrayList<>(sources.size());
    int next = 0;
    for (Variable<T> source : sources) {
      if (ancestors.contains(source.handle().op().name())) {
        @SuppressWarnings("unchecked")
        Operand<T> grad = (Operand<T>) grads[next++];
        result.add(grad);
      } else {
        result.add(null);
      }
    }
    return Collections.unmodifiableList(result);
  }

  private Set<String> recordedSoFar() {
    Set<String> now = opNames(trace.graph());
    now.removeAll(before);
    return now;
  }

  private static Set<String> opNames(Graph graph) {
    Set<String> names = new HashSet<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      names.add(it.next().name());
    }
    return names;
  }
}
