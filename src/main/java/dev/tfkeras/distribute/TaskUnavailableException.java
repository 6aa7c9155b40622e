package dev.tfkeras.distribute;

import java.util.List;

/**
 * Distributed training could not go on: a step waited longer than the strategy's operation
 * timeout, typically because a task of the cluster died. The message and {@link #missingTasks()}
 * name the tasks that did not accept a connection when the timeout struck. A parameter server's
 * {@link TaskServer#joinUntilTrainingEnds()} throws it too, naming the workers it gave up on.
 */
public final class TaskUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient List<TaskSpec> missingTasks;

  TaskUnavailableException(String message, List<TaskSpec> missingTasks, Throwable cause) {
    super(message, cause);
    this.missingTasks = List.copyOf(missingTasks);
  }

  /** The tasks that did not answer; empty if every task answered (one may be stuck or slow). */
  public List<TaskSpec> missingTasks() {
    return missingTasks;
  }
}
