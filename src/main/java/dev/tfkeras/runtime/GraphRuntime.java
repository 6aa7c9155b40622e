package dev.tfkeras.runtime;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/**
 * The graph and session that hold everything traced together: model weights, optimizer slots,
 * metric state and the traced functions that use them.
 *
 * <p>TensorFlow Java computes gradients only in graph mode, so tfkeras traces user code into one
 * {@link Graph} and runs it through one {@link Session}. Every stateful object binds to the runtime
 * that is {@linkplain #current() current} when it is first built, and all objects used together
 * must share it. Closing the runtime (directly or by closing a model bound to it) frees the native
 * graph and session; the next object built then starts a fresh default runtime, like Keras's
 * {@code clear_session()}.
 *
 * <p>Lifecycle: created lazily by {@link #current()} → ops added by traces → session opened on the
 * first run, new initializers run automatically before each run → {@link #close()}.
 *
 * <p>Lifecycle: everything traced together (the models, optimizers, metrics and functions of one
 * custom loop) shares one runtime, the default one unless a function was given another. Each
 * top-level model built in a runtime {@link #retain owns} it; {@code model.close()} releases it, and
 * the last release frees the graph and session. So closing one model never breaks another model
 * still open, and a custom loop's objects keep their one graph.
 *
 * <p>Thread-safe as tfkeras uses it: functions trace into it one at a time (they lock the runtime
 * while tracing), and its session runs concurrent calls.
 */
public final class GraphRuntime implements AutoCloseable {

  private static GraphRuntime defaultRuntime;
  private static Long globalSeed;
  private static Device globalDevice = Device.AUTO;

  private final Graph graph = new Graph();
  private final Device device;
  private final Ops ops;
  private final Random seeds;
  private Session session;
  private boolean closed;
  private int owners;
  private final java.util.Set<String> rootNames = new java.util.HashSet<>();

  private GraphRuntime(Long seed, Device device) {
    this.seeds = seed == null ? new Random(ThreadLocalRandom.current().nextLong()) : new Random(seed);
    this.device = device;
    Ops root = Ops.create(graph);
    this.ops = device == Device.GPU ? root.withDevice(gpu()) : root;
  }

  /** The default runtime, created on first use and again after the previous one was closed. */
  public static synchronized GraphRuntime current() {
    if (defaultRuntime == null || defaultRuntime.closed) {
      defaultRuntime = new GraphRuntime(globalSeed, globalDevice);
    }
    return defaultRuntime;
  }

  /** Closes the default runtime, if any, so that the next object built starts a fresh one. */
  public static synchronized void reset() {
    if (defaultRuntime != null) {
      defaultRuntime.close();
      defaultRuntime = null;
    }
  }

  /**
   * Makes weight initialization and dropout reproducible, like {@code keras.utils.set_random_seed}:
   * runtimes created after this call draw their per-op seeds from a generator seeded with {@code
   * seed}. Call it before building anything (it resets the default runtime).
   */
  public static synchronized void setRandomSeed(long seed) {
    globalSeed = seed;
    reset();
  }

  /** The seed given to {@link #setRandomSeed(long)}, if any. */
  public static synchronized java.util.OptionalLong randomSeed() {
    return globalSeed == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(globalSeed);
  }

  /**
   * Chooses where runtimes created after this call place their ops (default {@link Device#AUTO}).
   * Call it before building anything (it resets the default runtime).
   *
   * @throws IllegalStateException for {@link Device#GPU} when TensorFlow sees no GPU, saying how to
   *     get the CUDA build
   */
  public static synchronized void setDevice(Device device) {
    if (device == Device.GPU && !gpuAvailable()) {
      throw new IllegalStateException(
          "No GPU is visible to TensorFlow. GPU runs need the CUDA build of the native library"
              + " (build with the Maven profile: mvn -Pcuda ...) on Linux x86_64 with an NVIDIA"
              + " driver and CUDA 12 / cuDNN 9 libraries on the library path.");
    }
    globalDevice = java.util.Objects.requireNonNull(device, "device");
    reset();
  }

  /** Whether TensorFlow can run an op on a GPU in this process. */
  public static boolean gpuAvailable() {
    try (Graph probe = new Graph()) {
      var one = Ops.create(probe).withDevice(gpu()).constant(1f);
      ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Session session = new Session(probe, strict);
          var result = session.runner().fetch(one).run()) {
        return ((TFloat32) result.get(0)).getFloat() == 1f;
      } catch (RuntimeException noGpu) {
        return false;
      }
    }
  }

  private static DeviceSpec gpu() {
    return DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build();
  }

  /** Where this runtime places its ops. */
  public Device device() {
    return device;
  }

  /** The graph that traces add to. */
  public Graph graph() {
    checkOpen();
    return graph;
  }

  /** Root-scoped ops of this runtime's graph. */
  public Ops ops() {
    checkOpen();
    return ops;
  }

  /** The session, opened on first use; it runs pending variable initializers before each run. */
  public synchronized Session session() {
    checkOpen();
    if (session == null) {
      ConfigProto.Builder config = ConfigProto.newBuilder().setAllowSoftPlacement(true);
      if (device == Device.CPU) {
        config.putDeviceCount("GPU", 0);
      } else {
        config.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
      }
      session = new Session(graph, config.build());
    }
    return session;
  }

  /**
   * {@code base}, or {@code base_1}, {@code base_2}... if a top-level layer or model of this runtime
   * already has that name, as Keras names layers uniquely ({@code dense}, {@code dense_1}).
   */
  public synchronized String uniqueRootName(String base) {
    String name = base;
    for (int i = 1; !rootNames.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  /** A fresh op-level seed: reproducible when {@link #setRandomSeed(long)} was called first. */
  public long nextSeed() {
    long seed;
    do {
      seed = seeds.nextLong() & Long.MAX_VALUE;
    } while (seed == 0); // 0 asks TensorFlow for a nondeterministic seed
    return seed;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Fails with a clear message if this runtime was closed. */
  public void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "This runtime was closed (by GraphRuntime.close(), GraphRuntime.reset() or closing a"
              + " model bound to it); objects built in it can no longer run. Create new models,"
              + " optimizers, metrics and functions.");
    }
  }

  /**
   * Registers one more owner (a top-level model built in this runtime): the runtime stays open until
   * every owner has {@link #release released} it, so closing one model leaves the others working.
   */
  public synchronized void retain() {
    checkOpen();
    owners++;
  }

  /** Releases one owner; the last release closes the runtime. */
  public synchronized void release() {
    if (owners > 0 && --owners == 0) {
      close();
    }
  }

  /** Frees the graph and session now, whatever owners remain (as {@link #reset()} does). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
