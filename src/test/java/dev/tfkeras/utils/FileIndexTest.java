package dev.tfkeras.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keras's file listing: os.walk order, class folders, and NumPy's seeded shuffle. */
class FileIndexTest {

  @TempDir Path dir;

  private static List<Integer> shuffled(long seed, int n) {
    List<Integer> items = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    new NumpyShuffle(seed).shuffle(items);
    return items;
  }

  @Test
  void shuffleIsNumpysRandomState() {
    // python: x = list(range(10)); np.random.RandomState(seed).shuffle(x)
    assertEquals(List.of(8, 1, 5, 0, 7, 2, 9, 4, 3, 6), shuffled(42, 10));
    assertEquals(List.of(2, 8, 4, 9, 1, 6, 7, 3, 0, 5), shuffled(0, 10));
    assertEquals(List.of(6, 3, 0, 4, 5, 2, 1, 9, 8, 7), shuffled(1337, 10));
    int[] labels = IntStream.range(0, 10).toArray();
    new NumpyShuffle(1337).shuffle(labels);
    assertArrayEquals(new int[] {6, 3, 0, 4, 5, 2, 1, 9, 8, 7}, labels);
    // np.random.RandomState(5489).randint(0, 2**32, dtype=np.uint64) is MT19937's first output
    assertEquals(3499211612L, new NumpyShuffle(5489).nextUint32());
    assertThrows(IllegalArgumentException.class, () -> new NumpyShuffle(-1));
  }

  @Test
  void listsAsOsWalkSortedWithClassesAndSeed() throws IOException {
    for (String file : List.of("b/z.PNG", "b/sub-x/q.jpg", "b/sub/p.jpg", "a/2.jpg", "a/10.jpg", "a/skip.txt", ".hidden/h.jpg", "top.jpg")) {
      Path path = dir.resolve(file);
      Files.createDirectories(path.getParent());
      Files.write(path, new byte[] {1});
    }
    List<String> formats = List.of(".bmp", ".gif", ".jpeg", ".jpg", ".png");
    FileIndex index = FileIndex.list(dir, new ImageDatasetOptions().shuffle(false).verbose(false), formats, 0);
    // a's files by name ("10" < "2"); then b's folders by path, as sorted(os.walk) orders them:
    // "b" < "b/sub" < "b/sub-x"; hidden folders are no class, files at the top belong to none
    assertEquals(
        List.of("a/10.jpg", "a/2.jpg", "b/z.PNG", "b/sub/p.jpg", "b/sub-x/q.jpg"),
        index.files().stream().map(p -> dir.relativize(p).toString()).toList());
    assertArrayEquals(new int[] {0, 0, 1, 1, 1}, index.labels());
    assertEquals(List.of("a", "b"), index.classNames());

    FileIndex shuffled = FileIndex.list(dir, new ImageDatasetOptions().seed(1337).verbose(false), formats, 1337);
    // python: x = list(range(5)); np.random.RandomState(1337).shuffle(x) -> [3, 2, 1, 0, 4]
    List<Integer> order = shuffled(1337, 5);
    assertEquals(List.of(3, 2, 1, 0, 4), order);
    for (int i = 0; i < 5; i++) {
      assertEquals(index.files().get(order.get(i)), shuffled.files().get(i));
      assertEquals(index.labels()[order.get(i)], shuffled.labels()[i]);
    }

    FileIndex validation = shuffled.subset(0.4, "validation", false);
    FileIndex training = shuffled.subset(0.4, "training", false);
    assertEquals(shuffled.files().subList(0, 3), training.files());
    assertEquals(shuffled.files().subList(3, 5), validation.files());
  }
}
