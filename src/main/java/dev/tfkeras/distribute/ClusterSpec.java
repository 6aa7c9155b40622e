package dev.tfkeras.distribute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * The tasks of a training cluster, by job: {@code "ps"} (parameter servers), {@code "worker"} and
 * optionally one {@code "chief"}, each task a {@code host:port} address, as Keras's {@code
 * tf.train.ClusterSpec} and the {@code "cluster"} entry of {@code TF_CONFIG}.
 *
 * <pre>{@code
 * var cluster = new ClusterSpec()
 *     .job("ps", "ps0.example.com:2222")
 *     .job("worker", "worker0.example.com:2222", "worker1.example.com:2222");
 * }</pre>
 *
 * <p>The chief (the task that initializes the variables and writes checkpoints) is task 0 of the
 * {@code "chief"} job if there is one, else worker 0, as in Keras's multi-worker training.
 */
public final class ClusterSpec {

  private final Map<String, List<String>> jobs = new LinkedHashMap<>();

  /** An empty cluster; add jobs with {@link #job}. */
  public ClusterSpec() {}

  /**
   * A cluster with the given jobs, e.g. {@code Map.of("ps", List.of("h:2222"), "worker", ...)}.
   *
   * @throws IllegalArgumentException as {@link #job}
   */
  public static ClusterSpec of(Map<String, List<String>> jobs) {
    ClusterSpec spec = new ClusterSpec();
    jobs.forEach((name, addresses) -> spec.job(name, addresses.toArray(String[]::new)));
    return spec;
  }

  /**
   * Adds (or replaces) job {@code name} with its tasks' addresses, task 0 first; returns this.
   *
   * @throws IllegalArgumentException for a blank job name, no address, an address that is not
   *     {@code host:port} with a port in 1..65535, or an address used twice in the cluster
   */
  public ClusterSpec job(String name, String... addresses) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.contains("/") || name.contains(":")) {
      throw new IllegalArgumentException(
          "A job name must be a word such as \"worker\" or \"ps\" (no '/' or ':'), received \""
              + name + "\".");
    }
    if (addresses.length == 0) {
      throw new IllegalArgumentException(
          "Job \"" + name + "\" needs at least one task address (host:port), received none.");
    }
    List<String> checked = new ArrayList<>(addresses.length);
    for (int i = 0; i < addresses.length; i++) {
      checked.add(checkAddress(name, i, addresses[i]));
    }
    jobs.remove(name);
    for (String address : checked) {
      jobs.forEach(
          (other, used) -> {
            if (used.contains(address)) {
              throw new IllegalArgumentException(
                  "Address " + address + " of job \"" + name + "\" is already task "
                      + used.indexOf(address) + " of job \"" + other + "\"; every task needs a"
                      + " host:port of its own.");
            }
          });
    }
    if (checked.stream().distinct().count() != checked.size()) {
      throw new IllegalArgumentException(
          "Job \"" + name + "\" lists an address twice, received " + checked + "; every task"
              + " needs a host:port of its own.");
    }
    jobs.put(name, List.copyOf(checked));
    return this;
  }

  static String checkAddress(String job, int index, String address) {
    String where = "Task " + index + " of job \"" + job + "\"";
    if (address == null) {
      throw new IllegalArgumentException(where + " has no address; expected host:port.");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(
          where + ": expected an address host:port such as localhost:2222, received \"" + address
              + "\".");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          where + ": expected a port in 1..65535 after the ':', received \"" + address + "\".");
    }
    return address;
  }

  /** The job names, in the order they were added. */
  public List<String> jobs() {
    return List.copyOf(jobs.keySet());
  }

  /** The addresses of job {@code name}'s tasks, task 0 first; empty if there is no such job. */
  public List<String> addresses(String name) {
    return jobs.getOrDefault(name, List.of());
  }

  /** How many tasks job {@code name} has (0 if there is no such job). */
  public int numTasks(String name) {
    return addresses(name).size();
  }

  /**
   * The address of {@code task}.
   *
   * @throws IllegalArgumentException if the cluster has no such task
   */
  public String address(TaskSpec task) {
    checkTask(task);
    return addresses(task.type()).get(task.index());
  }

  /**
   * Fails unless the cluster has {@code task}.
   *
   * @throws IllegalArgumentException naming the jobs and task counts the cluster has
   */
  public void checkTask(TaskSpec task) {
    if (!jobs.containsKey(task.type())) {
      throw new IllegalArgumentException(
          "Task " + task + ": the cluster has no job \"" + task.type() + "\", its jobs are "
              + jobs.keySet() + ".");
    }
    int count = numTasks(task.type());
    if (task.index() >= count) {
      throw new IllegalArgumentException(
          "Task " + task + ": job \"" + task.type() + "\" has " + count + " task(s), indices 0.."
              + (count - 1) + ", received index " + task.index() + ".");
    }
  }

  /** Every task of the cluster, job by job in order. */
  public List<TaskSpec> tasks() {
    List<TaskSpec> all = new ArrayList<>();
    jobs.forEach(
        (name, addresses) -> {
          for (int i = 0; i < addresses.size(); i++) {
            all.add(new TaskSpec(name, i));
          }
        });
    return Collections.unmodifiableList(all);
  }

  /** TensorFlow's {@code ClusterDef} of this cluster. */
  public ClusterDef toClusterDef() {
    ClusterDef.Builder cluster = ClusterDef.newBuilder();
    jobs.forEach(
        (name, addresses) -> {
          JobDef.Builder job = JobDef.newBuilder().setName(name);
          for (int i = 0; i < addresses.size(); i++) {
            job.putTasks(i, addresses.get(i));
          }
          cluster.addJob(job);
        });
    return cluster.build();
  }

  /**
   * The {@code ServerDef} that starts {@code task}'s gRPC server in this cluster.
   *
   * @param config the default configuration of sessions on that server
   * @throws IllegalArgumentException if the cluster has no such task
   */
  public ServerDef toServerDef(TaskSpec task, ConfigProto config) {
    checkTask(task);
    return ServerDef.newBuilder()
        .setCluster(toClusterDef())
        .setJobName(task.type())
        .setTaskIndex(task.index())
        .setProtocol("grpc")
        .setDefaultSessionConfig(config)
        .build();
  }

  /** As a Java map: job name to addresses. */
  public Map<String, List<String>> asMap() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClusterSpec spec && spec.jobs.equals(jobs);
  }

  @Override
  public int hashCode() {
    return jobs.hashCode();
  }

  @Override
  public String toString() {
    return "ClusterSpec" + jobs;
  }
}
