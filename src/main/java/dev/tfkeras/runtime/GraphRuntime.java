package dev.tfkeras.runtime;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
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
 * <p>A runtime made by {@link #distributed} is one task of distributed training: its {@link
 * Distribution} places the ops and shared variables, opens the session on the task's TensorFlow
 * server and exchanges gradients; the default runtime has none and never pays for it.
 *
 * <p>Thread-safe as tfkeras uses it: functions trace into it one at a time (they lock the runtime
 * while tracing), and its session runs concurrent calls.
 */
public final class GraphRuntime implements AutoCloseable {

  private static GraphRuntime defaultRuntime;
  private static Long globalSeed;
  private static Device globalDevice = Device.AUTO;
  private static int intraOpThreads;
  private static int interOpThreads;
  /** Whether tfkeras opened a TensorFlow session in this process: thread pools are then fixed. */
  private static boolean sessionsStarted;
  private static boolean cpuJitEnabled;

  private final Graph graph = new Graph();
  private final Device device;
  /** Null unless this runtime is one task of distributed training. */
  private final Distribution distribution;
  private final Ops ops;
  private final Random seeds;
  private Session session;
  private boolean jitCompile;
  private boolean closed;
  private int owners;
  private final java.util.Set<String> variablePaths = new java.util.HashSet<>();
  private final java.util.Set<String> rootNames = new java.util.HashSet<>();
  private final java.util.List<java.util.function.Function<Ops, org.tensorflow.op.Op>> exportInitializers =
      new java.util.ArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong sessionRuns = new java.util.concurrent.atomic.AtomicLong();

  private GraphRuntime(Long seed, Device device, Distribution distribution) {
    this.seeds = seed == null ? new Random(ThreadLocalRandom.current().nextLong()) : new Random(seed);
    this.device = device;
    this.distribution = distribution;
    Ops root = Ops.create(graph);
    if (distribution != null) {
      this.ops = root.withDevice(distribution.taskDevice());
    } else {
      this.ops = device == Device.GPU ? root.withDevice(gpu()) : root;
    }
  }

  /**
   * A runtime for one task of distributed training: its ops go to the task's device, its shared
   * variables where {@code distribution} places them, and it runs in the session {@code
   * distribution} opens. Strategies create it; make it current with {@link #makeCurrent}.
   */
  public static GraphRuntime distributed(Distribution distribution) {
    java.util.Objects.requireNonNull(distribution, "distribution");
    synchronized (GraphRuntime.class) {
      return new GraphRuntime(globalSeed, Device.AUTO, distribution);
    }
  }

  /**
   * Makes {@code runtime} the default runtime, which objects built from now on bind to (null: a
   * fresh one next time); returns the previous default, or null, so that a scope can restore it.
   */
  public static synchronized GraphRuntime makeCurrent(GraphRuntime runtime) {
    GraphRuntime previous = defaultRuntime == null || defaultRuntime.closed ? null : defaultRuntime;
    defaultRuntime = runtime;
    return previous;
  }

  /** How this runtime takes part in distributed training, or null if it trains alone. */
  public Distribution distribution() {
    return distribution;
  }

  /**
   * {@code scope} where a new shared variable (a weight, an optimizer's state) belongs: unchanged
   * in a runtime that trains alone, placed by the {@link Distribution} otherwise.
   */
  public Ops placeVariable(Ops scope) {
    return distribution == null ? scope : distribution.placeVariable(scope);
  }

  /** The default runtime, created on first use and again after the previous one was closed. */
  public static synchronized GraphRuntime current() {
    if (defaultRuntime == null || defaultRuntime.closed) {
      defaultRuntime = new GraphRuntime(globalSeed, globalDevice, null);
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
      ConfigProto strict = sessionConfig().setAllowSoftPlacement(false).build();
      try (Session session = openSession(probe, strict);
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
      ConfigProto.Builder config = sessionConfig().setAllowSoftPlacement(true);
      if (device == Device.CPU) {
        config.putDeviceCount("GPU", 0);
      } else {
        config.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
      }
      if (jitCompile) {
        config.setGraphOptions(
            GraphOptions.newBuilder()
                .setOptimizerOptions(
                    OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
      }
      if (distribution != null) {
        synchronized (GraphRuntime.class) {
          sessionsStarted = true;
        }
        session = distribution.openSession(graph);
      } else {
        session = openSession(graph, config.build());
      }
    }
    return session;
  }

  /**
   * Whether this runtime's session compiles its graph with XLA (TensorFlow's auto-clustering), as
   * Keras's {@code jit_compile}. Off by default: Keras's {@code "auto"} uses no XLA on CPU.
   */
  public synchronized boolean jitCompile() {
    return jitCompile;
  }

  /**
   * Compiles what this runtime runs with XLA auto-clustering (or stops doing so). It takes effect
   * when the session opens, on the first run; {@code Model.setJitCompile} calls it for the model's
   * runtime.
   *
   * @throws IllegalStateException if the session is already open with the other setting
   */
  public synchronized void setJitCompile(boolean enabled) {
    checkOpen();
    if (session != null && enabled != jitCompile) {
      throw new IllegalStateException(
          "jitCompile cannot be " + (enabled ? "enabled" : "disabled") + " for a runtime that already"
              + " runs: its TensorFlow session was opened " + (jitCompile ? "with" : "without")
              + " XLA. Set jitCompile before the model first runs (right after compile, before fit,"
              + " evaluate or predict), or build the model anew.");
    }
    jitCompile = enabled;
  }

  /**
   * Lets sessions that ask for XLA cluster CPU ops ({@code --tf_xla_cpu_global_jit} of {@code
   * TF_XLA_FLAGS}). TensorFlow reads the flag once, when its first graph is optimized, so it is set
   * before tfkeras's first session; sessions that do not ask for XLA are not affected.
   */
  private static void enableCpuJit() {
    if (!cpuJitEnabled) {
      TensorFlow.version(); // loads the native library
      org.tensorflow.internal.c_api.global.tensorflow.TF_SetTfXlaCpuGlobalJit((byte) 1);
      cpuJitEnabled = true;
    }
  }

  /**
   * Sets the number of threads each TensorFlow op may use (TensorFlow's intra-op parallelism, as
   * {@code tf.config.threading.set_intra_op_parallelism_threads}); 0, the default, lets TensorFlow
   * choose (one per core). TensorFlow's thread pools belong to the process and are created by its
   * first session, so call this before anything runs.
   *
   * @throws IllegalArgumentException if {@code threads} is negative
   * @throws IllegalStateException for another count than the current one once a session was opened
   *     in this process (setting the current count again is allowed, as in TensorFlow)
   */
  public static synchronized void setIntraOpParallelismThreads(int threads) {
    intraOpThreads = checkThreads("intra-op", threads, intraOpThreads);
  }

  /**
   * Sets the number of ops TensorFlow runs at once (its inter-op parallelism, as {@code
   * tf.config.threading.set_inter_op_parallelism_threads}); 0, the default, lets TensorFlow choose.
   * Call it before anything runs, as {@link #setIntraOpParallelismThreads}.
   *
   * @throws IllegalArgumentException if {@code threads} is negative
   * @throws IllegalStateException for another count than the current one once a session was opened
   *     in this process
   */
  public static synchronized void setInterOpParallelismThreads(int threads) {
    interOpThreads = checkThreads("inter-op", threads, interOpThreads);
  }

  /** The intra-op thread count sessions are opened with; 0 means TensorFlow's choice. */
  public static synchronized int intraOpParallelismThreads() {
    return intraOpThreads;
  }

  /** The inter-op thread count sessions are opened with; 0 means TensorFlow's choice. */
  public static synchronized int interOpParallelismThreads() {
    return interOpThreads;
  }

  /** {@code threads} if it may be set: positive or 0, and the current value once TensorFlow ran. */
  private static int checkThreads(String what, int threads, int current) {
    if (threads < 0) {
      throw new IllegalArgumentException(
          "The " + what + " thread count must be 0 (TensorFlow's choice) or positive, received "
              + threads + ".");
    }
    if (sessionsStarted && threads != current) {
      throw new IllegalStateException(
          "The " + what + " thread count cannot be changed once TensorFlow has run: its thread pools"
              + " belong to the process and were created by the first session. Set it at the start"
              + " of the program, before any model, metric or function runs.");
    }
    return threads;
  }

  /** A session configuration with this process's thread settings. */
  private static ConfigProto.Builder sessionConfig() {
    ConfigProto.Builder config = ConfigProto.newBuilder();
    synchronized (GraphRuntime.class) {
      config.setIntraOpParallelismThreads(intraOpThreads).setInterOpParallelismThreads(interOpThreads);
    }
    return config;
  }

  /**
   * A session on {@code graph} with this process's thread settings, for graphs tfkeras runs outside
   * a runtime (probes, schedules evaluated in Java).
   */
  public static Session openSession(Graph graph) {
    return openSession(graph, sessionConfig().build());
  }

  private static Session openSession(Graph graph, ConfigProto config) {
    synchronized (GraphRuntime.class) {
      enableCpuJit();
      sessionsStarted = true;
    }
    return new Session(graph, config);
  }

  /**
   * Runs {@code runner}, a runner of this runtime's {@link #session()}, counting the call: every
   * session run of tfkeras (traced functions, metric reads and resets, variable reads and writes)
   * goes through here, so {@link #sessionRuns()} tells what a step costs.
   */
  public org.tensorflow.Result run(Session.Runner runner) {
    sessionRuns.incrementAndGet();
    return distribution == null ? runner.run() : distribution.run(this, runner);
  }

  /**
   * How many times {@link #run} ran this runtime's session so far: for tests and benchmarks that
   * check, say, that one {@code fit} step is one session call.
   */
  public long sessionRuns() {
    return sessionRuns.get();
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

  /**
   * Claims {@code path} for a layer weight of this runtime; false if another weight already has
   * it (a base model's {@code dense/kernel} beside a Sequential's own {@code dense/kernel}), so that
   * every weight a model holds keeps a path of its own in saved files.
   */
  public synchronized boolean claimVariablePath(String path) {
    return variablePaths.add(path);
  }

  /**
   * Registers state that a SavedModel's variables do not carry, such as a lookup table's contents:
   * {@code initializer} builds (with the state of the moment) an op that restores it, or returns
   * null when there is nothing to restore. See {@link #exportInitializer()}.
   */
  public synchronized void addExportInitializer(java.util.function.Function<Ops, org.tensorflow.op.Op> initializer) {
    exportInitializers.add(java.util.Objects.requireNonNull(initializer, "initializer"));
  }

  /**
   * One op that restores every registered state (see {@link #addExportInitializer}) as it is now,
   * for a SavedModel's {@code __saved_model_init_op}, which TensorFlow runs after restoring the
   * variables when it loads the export; null if there is nothing to restore.
   */
  public synchronized org.tensorflow.op.Op exportInitializer() {
    checkOpen();
    Ops tf = ops.withSubScope("export_init");
    java.util.List<org.tensorflow.op.Op> parts = new java.util.ArrayList<>();
    for (var initializer : exportInitializers) {
      org.tensorflow.op.Op op = initializer.apply(tf);
      if (op != null) {
        parts.add(op);
      }
    }
    return parts.isEmpty() ? null : tf.withControlDependencies(parts).withName("saved_model_init").noOp();
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
