package dev.tfkeras.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

/**
 * A writer whose JVM is killed (destroyForcibly) mid-run leaves a file whose complete records all
 * read back, CRCs checked, with every value flushed before the kill.
 */
class KilledWriterTest {

  @TempDir Path tmp;

  /**
   * The child: writes scalars without end, flushing every 100 and saying so on stdout; with a
   * second argument, writes that many and exits without closing the writer.
   */
  public static void main(String[] args) {
    SummaryWriter writer = SummaryWriter.create(Path.of(args[0]));
    if (args.length > 1) {
      for (int step = 0; step < Integer.parseInt(args[1]); step++) {
        writer.scalar("loss", step, step);
      }
      return; // no flush, no close
    }
    for (long step = 0; ; step++) {
      writer.scalar("loss", 1.0 / (step + 1), step);
      writer.histogram("w", new float[] {step, step + 1, step + 2}, step);
      if (step % 100 == 99) {
        writer.flush();
        System.out.println("flushed " + (step + 1));
        System.out.flush();
      }
    }
  }

  private static Process child(String... args) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KilledWriterTest.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  @Test
  void aJvmThatExitsWithoutClosingWritesEveryQueuedValue() throws Exception {
    Path run = tmp.resolve("run");
    Process child = child(run.toString(), "5000");
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, child.exitValue(), output);
    List<Event> events = EventFiles.read(EventFiles.files(run).get(0), false);
    assertEquals(1 + 5000, events.size());
    assertEquals(4999, events.get(5000).getStep());
  }

  @Test
  void everyCompleteRecordReadsBackAfterAKill() throws Exception {
    Path run = tmp.resolve("run");
    Process child = child(run.toString());
    long flushed = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("flushed ")) {
          flushed = Long.parseLong(line.substring(8));
          if (flushed >= 2000) {
            break;
          }
        }
      }
      child.destroyForcibly(); // mid-run: the writer thread is still writing
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(flushed >= 2000, "the child flushed " + flushed + " steps before it was killed");
    List<Path> files = EventFiles.files(run);
    assertEquals(1, files.size());
    List<Event> events = EventFiles.read(files.get(0), true);
    // the version event, then two values per step, in order
    long steps = (events.size() - 1) / 2;
    assertTrue(steps >= flushed, steps + " steps read, " + flushed + " flushed");
    for (int i = 1; i < events.size(); i++) {
      Event event = events.get(i);
      long step = (i - 1) / 2;
      assertEquals(step, event.getStep());
      EventFiles.Value value = new EventFiles.Value(step, event.getSummary().getValue(0));
      assertEquals(i % 2 == 1 ? "loss" : "w", value.tag());
      if (i % 2 == 1) {
        assertEquals((float) (1.0 / (step + 1)), value.scalar());
      }
    }
  }
}
