package dev.tfkeras.distribute;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's {@code TF_CONFIG}: the cluster and this process's task in it, as {@code
 * tf.distribute.cluster_resolver.TFConfigClusterResolver} reads the environment variable:
 *
 * <pre>{@code
 * {"cluster": {"ps": ["ps0:2222"], "worker": ["w0:2222", "w1:2222"]},
 *  "task": {"type": "worker", "index": 1}}
 * }</pre>
 *
 * <p>Each host runs the same program with its own {@code TF_CONFIG}; only {@code task} differs.
 *
 * @param cluster every task's address
 * @param task this process's task, which the cluster has
 */
public record TfConfig(ClusterSpec cluster, TaskSpec task) {

  /** The environment variable Keras reads. */
  public static final String VARIABLE = "TF_CONFIG";

  /**
   * @throws IllegalArgumentException if {@code cluster} has no task {@code task}
   */
  public TfConfig {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(task, "task");
    cluster.checkTask(task);
  }

  /**
   * The {@code TF_CONFIG} of this process.
   *
   * @throws IllegalStateException if the variable is not set
   * @throws IllegalArgumentException if it is malformed, as {@link #parse}
   */
  public static TfConfig fromEnvironment() {
    String json = System.getenv(VARIABLE);
    if (json == null || json.isBlank()) {
      throw new IllegalStateException(
          "The environment variable " + VARIABLE + " is not set. Set it on every host to the"
              + " cluster and that host's task, e.g. {\"cluster\": {\"ps\": [\"ps0:2222\"],"
              + " \"worker\": [\"w0:2222\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}.");
    }
    return parse(json);
  }

  /**
   * Reads {@code TF_CONFIG} JSON: {@code "cluster"} maps each job to a list of {@code host:port}
   * addresses, {@code "task"} has {@code "type"} and {@code "index"} (a number or a numeric string,
   * as Keras accepts). Other keys ({@code "rpc_layer"}, {@code "environment"}) are ignored.
   *
   * @throws IllegalArgumentException naming what is malformed, what was expected and received
   */
  public static TfConfig parse(String json) {
    JsonObject root;
    try {
      JsonElement parsed = JsonParser.parseString(Objects.requireNonNull(json, "json"));
      if (!parsed.isJsonObject()) {
        throw new IllegalArgumentException(
            VARIABLE + " must be a JSON object with \"cluster\" and \"task\", received: " + json);
      }
      root = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          VARIABLE + " is not valid JSON (" + e.getMessage() + "), received: " + json, e);
    }
    return new TfConfig(parseCluster(root.get("cluster"), json), parseTask(root.get("task"), json));
  }

  private static ClusterSpec parseCluster(JsonElement cluster, String json) {
    if (cluster == null || !cluster.isJsonObject() || cluster.getAsJsonObject().isEmpty()) {
      throw new IllegalArgumentException(
          VARIABLE + " needs \"cluster\": an object mapping each job to its addresses, e.g."
              + " {\"worker\": [\"localhost:2222\"]}, received: " + json);
    }
    ClusterSpec spec = new ClusterSpec();
    for (Map.Entry<String, JsonElement> job : cluster.getAsJsonObject().entrySet()) {
      JsonElement tasks = job.getValue();
      if (!tasks.isJsonArray()) {
        throw new IllegalArgumentException(
            VARIABLE + ": job \"" + job.getKey() + "\" must list its addresses as a JSON array of"
                + " \"host:port\" strings, received " + tasks + ".");
      }
      List<String> addresses = new ArrayList<>();
      for (JsonElement address : tasks.getAsJsonArray()) {
        if (!address.isJsonPrimitive() || !address.getAsJsonPrimitive().isString()) {
          throw new IllegalArgumentException(
              VARIABLE + ": job \"" + job.getKey() + "\" must list \"host:port\" strings, received "
                  + address + ".");
        }
        addresses.add(address.getAsString());
      }
      spec.job(job.getKey(), addresses.toArray(String[]::new));
    }
    return spec;
  }

  private static TaskSpec parseTask(JsonElement task, String json) {
    if (task == null || !task.isJsonObject()) {
      throw new IllegalArgumentException(
          VARIABLE + " needs \"task\": {\"type\": \"worker\", \"index\": 0} naming this process's"
              + " task, received: " + json);
    }
    JsonElement type = task.getAsJsonObject().get("type");
    if (type == null || !type.isJsonPrimitive() || !type.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(
          VARIABLE + ": \"task\" needs a \"type\" string such as \"worker\", received " + task + ".");
    }
    JsonElement index = task.getAsJsonObject().get("index");
    int value;
    try {
      value = Integer.parseInt(Objects.requireNonNull(index, "index").getAsString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          VARIABLE + ": \"task\" needs an integer \"index\", received " + task + ".", e);
    }
    return new TaskSpec(type.getAsString(), value);
  }

  /** This configuration as {@code TF_CONFIG} JSON, which {@link #parse} reads back. */
  public String toJson() {
    JsonObject clusterJson = new JsonObject();
    cluster.asMap()
        .forEach(
            (job, addresses) -> {
              JsonArray list = new JsonArray();
              addresses.forEach(list::add);
              clusterJson.add(job, list);
            });
    JsonObject taskJson = new JsonObject();
    taskJson.add("type", new JsonPrimitive(task.type()));
    taskJson.add("index", new JsonPrimitive(task.index()));
    JsonObject root = new JsonObject();
    root.add("cluster", clusterJson);
    root.add("task", taskJson);
    return new Gson().toJson(root);
  }
}
