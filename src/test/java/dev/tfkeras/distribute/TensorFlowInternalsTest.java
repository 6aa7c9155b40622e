package dev.tfkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** A parameter server and a worker in this JVM on loopback: a variable on /job:ps updated from the worker. */
@Timeout(60)
class TensorFlowInternalsTest {

  @Test
  void workerSessionUpdatesAVariableOnTheParameterServer() throws IOException {
    int[] ports = freePorts(2);
    ClusterSpec cluster =
        new ClusterSpec().job("ps", "localhost:" + ports[0]).job("worker", "localhost:" + ports[1]);
    ConfigProto config = ConfigProto.newBuilder().setOperationTimeoutInMs(20_000).build();
    // Server.stop() is not implemented by TensorFlow: the servers live until the JVM exits.
    Server ps = new Server(cluster.toServerDef(new TaskSpec("ps", 0), ConfigProto.getDefaultInstance()));
    ps.start();
    Server worker = new Server(cluster.toServerDef(new TaskSpec("worker", 0), config));
    worker.start();
    DeviceSpec onPs = DeviceSpec.newBuilder().job("ps").task(0).build();
    ConfigProto workerConfig =
        config.toBuilder().addDeviceFilters("/job:ps").addDeviceFilters("/job:worker/task:0").build();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder().job("worker").task(0).build());
      Variable<TFloat32> v = tf.withDevice(onPs).withName("v").variable(tf.constant(new float[] {1f, 2f}));
      var update = tf.withDevice(onPs).assignAdd(v, tf.math.mul(tf.constant(10f), tf.constant(new float[] {1f, 1f})));
      try (Session session =
          TensorFlowInternals.openSession(graph, "grpc://localhost:" + ports[1], workerConfig)) {
        assertEquals(1, TensorFlowInternals.initializers(graph).stream().filter(op -> op.type().equals("Assign")).count());
        TensorFlowInternals.runInitializers(session, TensorFlowInternals.initializers(graph));
        session.runner().addTarget(update).run().close();
      }
    }
    // A second graph and session, on the parameter server itself, sees the worker's update.
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(onPs);
      var v = tf.withName("v").variable(org.tensorflow.ndarray.Shape.of(2), TFloat32.class);
      try (Session session =
              TensorFlowInternals.openSession(graph, "grpc://localhost:" + ports[0], ConfigProto.getDefaultInstance());
          var result = session.runner().fetch(tf.identity(v)).run()) {
        TFloat32 value = (TFloat32) result.get(0);
        assertEquals(List.of(11f, 12f), List.of(value.getFloat(0), value.getFloat(1)));
      }
    }
  }

  @Test
  void aPortInUseIsAClearError() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ClusterSpec cluster = new ClusterSpec().job("worker", "localhost:" + taken.getLocalPort());
      var e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class,
              () -> TaskServer.start(cluster, new TaskSpec("worker", 0), ConfigProto.getDefaultInstance()));
      org.junit.jupiter.api.Assertions.assertTrue(
          e.getMessage().contains("Cannot start the TensorFlow server of task worker:0 on localhost:" + taken.getLocalPort()),
          e.getMessage());
    }
  }

  static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }
}
