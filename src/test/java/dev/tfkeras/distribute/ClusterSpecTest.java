package dev.tfkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.ServerDef;

class ClusterSpecTest {

  private static final String KERAS_EXAMPLE =
      "{\"cluster\": {\"chief\": [\"host0:2222\"], \"worker\": [\"host1:2222\", \"host2:2222\"],"
          + " \"ps\": [\"host3:2222\"]}, \"task\": {\"type\": \"worker\", \"index\": 1},"
          + " \"rpc_layer\": \"grpc\"}";

  @Test
  void readsTfConfigAsKerasResolverDoes() {
    TfConfig config = TfConfig.parse(KERAS_EXAMPLE);
    assertEquals(List.of("chief", "worker", "ps"), config.cluster().jobs());
    assertEquals(List.of("host1:2222", "host2:2222"), config.cluster().addresses("worker"));
    assertEquals(new TaskSpec("worker", 1), config.task());
    assertEquals("host2:2222", config.cluster().address(config.task()));
    assertEquals("/job:worker/task:1", config.task().device());
    assertEquals(4, config.cluster().tasks().size());
  }

  @Test
  void indexMayBeANumericString() {
    String json = "{\"cluster\": {\"worker\": [\"a:1\", \"b:2\"]}, \"task\": {\"type\": \"worker\", \"index\": \"1\"}}";
    assertEquals(1, TfConfig.parse(json).task().index());
  }

  @Test
  void jsonRoundTrips() {
    TfConfig config = TfConfig.parse(KERAS_EXAMPLE);
    assertEquals(config, TfConfig.parse(config.toJson()));
  }

  @Test
  void codeAndJsonGiveTheSameSpec() {
    ClusterSpec spec =
        new ClusterSpec().job("chief", "host0:2222").job("worker", "host1:2222", "host2:2222").job("ps", "host3:2222");
    assertEquals(spec, TfConfig.parse(KERAS_EXAMPLE).cluster());
    assertEquals(
        spec,
        ClusterSpec.of(
            new java.util.LinkedHashMap<>(
                Map.of("chief", List.of("host0:2222")))) // one job from a map
            .job("worker", "host1:2222", "host2:2222")
            .job("ps", "host3:2222"));
  }

  @Test
  void toProtos() {
    ClusterSpec spec = new ClusterSpec().job("ps", "localhost:2000").job("worker", "localhost:2001", "localhost:2002");
    ClusterDef def = spec.toClusterDef();
    assertEquals(2, def.getJobCount());
    assertEquals("ps", def.getJob(0).getName());
    assertEquals("localhost:2002", def.getJob(1).getTasksMap().get(1));
    ConfigProto config = ConfigProto.newBuilder().setOperationTimeoutInMs(5000).build();
    ServerDef server = spec.toServerDef(new TaskSpec("worker", 1), config);
    assertEquals("worker", server.getJobName());
    assertEquals(1, server.getTaskIndex());
    assertEquals("grpc", server.getProtocol());
    assertEquals(def, server.getCluster());
    assertEquals(5000, server.getDefaultSessionConfig().getOperationTimeoutInMs());
  }

  @Test
  void malformedSpecsAreRefusedWithWhatWasExpected() {
    assertMessage("expected an address host:port", () -> new ClusterSpec().job("worker", "localhost"));
    assertMessage("port in 1..65535", () -> new ClusterSpec().job("worker", "localhost:99999"));
    assertMessage("port in 1..65535", () -> new ClusterSpec().job("worker", "localhost:http"));
    assertMessage("at least one task address", () -> new ClusterSpec().job("ps"));
    assertMessage("already task 0 of job \"ps\"", () -> new ClusterSpec().job("ps", "h:1").job("worker", "h:1"));
    assertMessage("lists an address twice", () -> new ClusterSpec().job("worker", "h:1", "h:1"));
    assertMessage("no '/' or ':'", () -> new ClusterSpec().job("job:ps", "h:1"));
    assertMessage("not valid JSON", () -> TfConfig.parse("{cluster"));
    assertMessage("needs \"cluster\"", () -> TfConfig.parse("{\"task\": {\"type\": \"worker\", \"index\": 0}}"));
    assertMessage("needs \"task\"", () -> TfConfig.parse("{\"cluster\": {\"worker\": [\"h:1\"]}}"));
    assertMessage("JSON array", () -> TfConfig.parse("{\"cluster\": {\"worker\": \"h:1\"}, \"task\": {\"type\": \"worker\", \"index\": 0}}"));
    assertMessage("integer \"index\"", () -> TfConfig.parse("{\"cluster\": {\"worker\": [\"h:1\"]}, \"task\": {\"type\": \"worker\"}}"));
    assertMessage("has 1 task(s), indices 0..0, received index 3",
        () -> TfConfig.parse("{\"cluster\": {\"worker\": [\"h:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 3}}"));
    assertMessage("no job \"ps\", its jobs are [worker]",
        () -> TfConfig.parse("{\"cluster\": {\"worker\": [\"h:1\"]}, \"task\": {\"type\": \"ps\", \"index\": 0}}"));
    assertMessage("index must be 0 or positive", () -> new TaskSpec("worker", -1));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
  }
}
