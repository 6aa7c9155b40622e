package dev.tfkeras.distribute;

import java.util.Objects;

/**
 * One task of a cluster: its job ({@code "chief"}, {@code "worker"}, {@code "ps"}) and its index in
 * that job, as the {@code "task"} entry of Keras's {@code TF_CONFIG}: {@code {"type": "worker",
 * "index": 0}}.
 *
 * @param type the job name
 * @param index the task's index in the job, from 0
 */
public record TaskSpec(String type, int index) {

  /**
   * @throws IllegalArgumentException for a blank type or a negative index
   */
  public TaskSpec {
    Objects.requireNonNull(type, "type");
    if (type.isBlank() || type.contains("/") || type.contains(":")) {
      throw new IllegalArgumentException(
          "A task type must be a job name such as \"worker\" or \"ps\" (no '/' or ':'), received"
              + " type=\"" + type + "\".");
    }
    if (index < 0) {
      throw new IllegalArgumentException(
          "A task index must be 0 or positive, received index=" + index + " for task type \"" + type
              + "\".");
    }
  }

  /** The task's TensorFlow device name prefix, e.g. {@code /job:worker/task:1}. */
  public String device() {
    return "/job:" + type + "/task:" + index;
  }

  @Override
  public String toString() {
    return type + ":" + index;
  }
}
