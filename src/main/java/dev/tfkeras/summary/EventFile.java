package dev.tfkeras.summary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorflow.proto.Event;

/**
 * One {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2} file, named as {@code
 * tf.summary.create_file_writer} names it, that starts with the {@code brain.Event:2} version
 * event.
 *
 * <p>Events go through a bounded queue to a writer thread, so a slow disk delays the caller only
 * once {@value #CAPACITY} records are waiting. The thread hands each batch of whole records to the
 * operating system as soon as it takes them (no buffer in the JVM), so a JVM that dies leaves every
 * record the thread wrote readable; {@link #flush()} waits until every event given so far is
 * written. A JVM that exits normally (main returns, System.exit) closes the files still open, so
 * their queued events are written too.
 */
final class EventFile implements AutoCloseable {

  static final int CAPACITY = 1024;
  private static final byte[] END = new byte[0];
  private static final AtomicLong FILE_IDS = new AtomicLong();
  /** Files not closed yet: a JVM that exits normally writes what they hold before it ends. */
  private static final Set<EventFile> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(OPEN).forEach(EventFile::closeQuietly), "tfkeras-events-exit"));
  }

  private final Path file;
  private final FileChannel channel;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread thread;
  private long submitted; // guarded by this
  private long written; // guarded by this
  private IOException failure; // guarded by this
  private boolean closed; // guarded by this

  EventFile(Path directory) {
    try {
      Files.createDirectories(directory);
      long seconds = System.currentTimeMillis() / 1000;
      String name =
          String.format(
              Locale.ROOT,
              "events.out.tfevents.%010d.%s.%d.%d.v2",
              seconds,
              hostName(),
              ProcessHandle.current().pid(),
              FILE_IDS.getAndIncrement());
      this.file = directory.resolve(name);
      this.channel =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create an event file in " + directory + ": " + e.getMessage()
              + ". Choose a log directory that can be written to.",
          e);
    }
    thread = new Thread(this::drain, "tfkeras-events-" + file.getFileName());
    thread.setDaemon(true);
    thread.start();
    OPEN.add(this);
    write(Event.newBuilder().setWallTime(now()).setFileVersion("brain.Event:2").build());
  }

  /** The file written. */
  Path file() {
    return file;
  }

  /** Seconds since the epoch, as events carry them. */
  static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  /**
   * Queues the event; waits only while {@value #CAPACITY} records are already waiting.
   *
   * @throws IllegalStateException after {@link #close()}
   * @throws UncheckedIOException if an earlier write failed
   */
  void write(Event event) {
    byte[] record = TfRecord.frame(event.toByteArray());
    synchronized (this) {
      checkUsable();
      submitted++;
    }
    try {
      while (!queue.offer(record, 100, TimeUnit.MILLISECONDS)) {
        synchronized (this) {
          throwFailure(); // the writer thread stopped: do not wait for it
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while queueing an event for " + file, e);
    }
  }

  /** Waits until every event given so far is in the file. */
  void flush() {
    synchronized (this) {
      long target = submitted;
      boolean interrupted = false;
      while (written < target && failure == null && thread.isAlive()) {
        try {
          wait(100);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      throwFailure();
    }
  }

  /** Writes what is queued, then closes the file; later calls do nothing. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    OPEN.remove(this);
    try {
      while (thread.isAlive() && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
        // the writer thread is still emptying a full queue
      }
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        channel.close();
      } catch (IOException e) {
        synchronized (this) {
          if (failure == null) {
            failure = e;
          }
        }
      }
    }
    synchronized (this) {
      throwFailure();
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      // the JVM is exiting: nobody is left to report to
    }
  }

  private void drain() {
    List<byte[]> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch);
      boolean end = batch.remove(END);
      try {
        int size = batch.stream().mapToInt(r -> r.length).sum();
        ByteBuffer bytes = ByteBuffer.allocate(size);
        batch.forEach(bytes::put);
        bytes.flip();
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        synchronized (this) {
          written += batch.size();
          notifyAll();
        }
      } catch (IOException e) {
        synchronized (this) {
          failure = e;
          notifyAll();
        }
        return;
      }
      batch.clear();
      if (end) {
        return;
      }
    }
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException(
          "The event file " + file + " is closed; create a new SummaryWriter to write more.");
    }
    throwFailure();
  }

  private void throwFailure() {
    if (failure != null) {
      throw new UncheckedIOException(
          "Writing the event file " + file + " failed: " + failure.getMessage()
              + ". Check the disk and the log directory's permissions.",
          failure);
    }
  }

  private static String hostName() {
    return Host.NAME;
  }

  /** The host name, looked up once (the lookup may ask DNS). */
  private static final class Host {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "localhost";
      }
    }
  }
}
