package dev.tfkeras.distribute;

import dev.tfkeras.runtime.GraphRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.DeviceSpec;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;

/**
 * What a training task of either strategy does alike: wait (polling, at most the operation
 * timeout) until the chief has initialized variables, and turn a step that timed out or lost its
 * connection into a {@link TaskUnavailableException} naming the tasks that no longer accept a
 * connection.
 */
final class ReplicaSupport {

  private static final Pattern TASK = Pattern.compile("/job:([^/]+)/(?:replica:\\d+/)?task:(\\d+)");

  private final ClusterSpec cluster;
  private final TaskSpec task;
  private final TaskSpec chief;
  private final long timeoutMillis;

  ReplicaSupport(ClusterSpec cluster, TaskSpec task, TaskSpec chief, long timeoutMillis) {
    this.cluster = cluster;
    this.task = task;
    this.chief = chief;
    this.timeoutMillis = timeoutMillis;
  }

  /** The task device ({@code /job:ps/task:0}) of an op placed on a task. */
  static DeviceSpec deviceOf(Operation op) {
    Matcher m = TASK.matcher(((GraphOperation) op).device());
    if (!m.find()) {
      throw new IllegalStateException("Variable " + op.name() + " has no task device: " + ((GraphOperation) op).device());
    }
    return DeviceSpec.newBuilder().job(m.group(1)).task(Integer.parseInt(m.group(2))).build();
  }

  /**
   * Waits until the chief has initialized {@code variables} (variable ops of {@code runtime}'s
   * graph placed where the chief initializes them), polling, at most the timeout.
   *
   * @throws TaskUnavailableException if the chief has not done so within the timeout
   */
  void awaitChief(GraphRuntime runtime, Session session, List<Operation> variables) {
    if (variables.isEmpty()) {
      return;
    }
    Ops tf = runtime.ops().withSubScope("await_chief");
    List<Operand<TBool>> checks = new ArrayList<>();
    for (Operation variable : variables) {
      checks.add(tf.withDevice(deviceOf(variable)).isVariableInitialized(variable.output(0)));
    }
    Operand<TBool> all = tf.reduceAll(tf.stack(checks), tf.constant(0));
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (true) {
      try (Result result = session.runner().fetch(all).run()) {
        if (((TBool) result.get(0)).getBoolean()) {
          return;
        }
      } catch (TensorFlowException e) {
        throw unavailable(e);
      }
      if (System.nanoTime() > deadline) {
        throw unavailable(
            "the chief (" + chief + ") did not initialize the variables within " + timeoutMillis + " ms", null);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the chief to initialize the variables.", e);
      }
    }
  }

  /**
   * {@code e} as a {@link TaskUnavailableException} if it says that a step timed out or lost a
   * task; {@code e} itself otherwise.
   */
  RuntimeException unavailable(TensorFlowException e) {
    String message = String.valueOf(e.getMessage());
    boolean timedOut = message.contains("timed out") || message.contains("Deadline");
    boolean lost =
        message.contains("navailable") || message.contains("onnection") || message.contains("Socket closed");
    if (!timedOut && !lost) {
      return e;
    }
    // TensorFlow's first line may only say where the error came from ("From /job:worker/...:")
    List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(2).toList();
    String first = lines.size() == 2 && lines.get(0).endsWith(":") ? lines.get(0) + " " + lines.get(1) : lines.isEmpty() ? message : lines.get(0);
    return unavailable(
        (timedOut ? "a step waited longer than the operation timeout of " + timeoutMillis + " ms" : "a task was lost")
            + " (TensorFlow: " + first + ")",
        e);
  }

  /** An error naming the tasks that do not accept a connection now. */
  TaskUnavailableException unavailable(String what, Throwable cause) {
    List<TaskSpec> missing = new ArrayList<>();
    List<String> described = new ArrayList<>();
    for (TaskSpec other : cluster.tasks()) {
      if (!other.equals(task) && !answers(cluster.address(other), 1000)) {
        missing.add(other);
        described.add("task " + other + " (" + cluster.address(other) + ")");
      }
    }
    String who =
        missing.isEmpty()
            ? "Every task still accepts connections: a worker may be stuck, slower than the timeout,"
                + " or have stopped training early."
            : "Not answering: " + String.join(", ", described) + "; it may have died or be unreachable.";
    return new TaskUnavailableException(
        "Distributed training on task " + task + " stopped: " + what + ". " + who
            + " Restart the cluster (with BackupAndRestore training resumes from the last"
            + " checkpoint), or raise the timeout with operationTimeout(...).",
        missing,
        cause);
  }

  /** Whether a process accepts connections at {@code host:port} within {@code timeoutMillis}. */
  static boolean answers(String address, int timeoutMillis) {
    int colon = address.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
