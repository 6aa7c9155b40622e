package dev.tfkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrefetchTest {

  private static Set<Thread> prefetchThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(PrefetchSource.THREAD_NAME_PREFIX))
        .filter(Thread::isAlive)
        .collect(Collectors.toSet());
  }

  private static Set<Thread> newThreads(Set<Thread> before) {
    Set<Thread> now = prefetchThreads();
    now.removeAll(before);
    return now;
  }

  private static void awaitNoneAlive(Set<Thread> threads, boolean collectGarbage)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (threads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
      if (collectGarbage) {
        System.gc();
      }
      Thread.sleep(20);
    }
    assertTrue(threads.stream().noneMatch(Thread::isAlive), "prefetch threads still alive: " + threads);
  }

  @Test
  void prefetchThreadIsADaemonThatEndsWithThePass() throws InterruptedException {
    Set<Thread> before = prefetchThreads();
    Dataset dataset = DatasetTest.indexed(50).batch(5).prefetch(2);
    DatasetIterator iterator = dataset.iterator();
    Set<Thread> started = newThreads(before);
    assertEquals(1, started.size());
    assertTrue(started.iterator().next().isDaemon());
    int batches = 0;
    while (iterator.hasNext()) {
      iterator.next().close();
      batches++;
    }
    assertEquals(10, batches);
    awaitNoneAlive(started, false);
  }

  @Test
  void closingTheIteratorStopsItsPrefetchThread() throws InterruptedException {
    Set<Thread> before = prefetchThreads();
    DatasetIterator iterator = DatasetTest.indexed(500).batch(1).prefetch(2).iterator();
    iterator.next().close();
    Set<Thread> started = newThreads(before);
    assertEquals(1, started.size());
    iterator.close();
    awaitNoneAlive(started, false);
  }

  @Test
  void anAbandonedIteratorsThreadStopsAfterGarbageCollection() throws InterruptedException {
    Set<Thread> before = prefetchThreads();
    abandonAfterOneBatch(DatasetTest.indexed(500).batch(1).prefetch(2));
    Set<Thread> started = newThreads(before);
    assertEquals(1, started.size());
    awaitNoneAlive(started, true);
  }

  private static void abandonAfterOneBatch(Dataset dataset) {
    for (Batch batch : dataset) {
      try (batch) {
        assertEquals(1, batch.size());
      }
      break;
    }
  }
}
