package dev.tfkeras.data;

import static dev.tfkeras.data.DatasetTest.indexed;
import static dev.tfkeras.data.DatasetTest.labelsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** shard as tf.data does it: element i goes to shard i % numShards. */
class DatasetShardTest {

  @Test
  void elementIGoesToShardIModN() {
    // tf.data's shard_test: range(10).shard(5, 2) is [2, 7]
    assertEquals(List.of(2, 7), labelsOf(indexed(10).shard(5, 2)));
    assertEquals(List.of(0, 3, 6, 9), labelsOf(indexed(10).shard(3, 0)));
    assertEquals(List.of(2, 5, 8), labelsOf(indexed(10).shard(3, 2)));
    assertEquals(List.of(0, 1, 2), labelsOf(indexed(3).shard(1, 0)));
    assertEquals(List.of(), labelsOf(indexed(3).shard(7, 5)));
  }

  @Test
  void cardinalityCountsTheShardsElements() {
    assertEquals(4, indexed(10).shard(3, 0).cardinality());
    assertEquals(3, indexed(10).shard(3, 1).cardinality());
    assertEquals(3, indexed(10).shard(3, 2).cardinality());
    assertEquals(0, indexed(3).shard(7, 5).cardinality());
    assertEquals(Dataset.INFINITE_CARDINALITY, indexed(3).repeat().shard(2, 1).cardinality());
    assertEquals(List.of(1, 0, 2, 1), labelsOf(indexed(3).repeat().shard(2, 1).take(4)));
  }

  @Test
  void shardsPartitionTheData() {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.addAll(labelsOf(indexed(10).shard(4, i)));
    }
    all.sort(null);
    assertEquals(labelsOf(indexed(10)), all);
  }

  @Test
  void aBatchedDatasetShardsItsBatches() {
    assertEquals(List.of(2, 3, 6, 7), labelsOf(indexed(10).batch(2).shard(2, 1)));
    assertEquals(2, indexed(10).batch(2).shard(2, 1).cardinality());
  }

  @Test
  void badArgumentsAreRefused() {
    var zero = assertThrows(IllegalArgumentException.class, () -> indexed(3).shard(0, 0));
    assertTrue(zero.getMessage().contains("numShards must be greater than zero, received: numShards=0"));
    var index = assertThrows(IllegalArgumentException.class, () -> indexed(3).shard(2, 2));
    assertTrue(index.getMessage().contains("index must be between 0 and numShards - 1 (1), received: index=2"));
    assertThrows(IllegalArgumentException.class, () -> indexed(3).shard(2, -1));
  }
}
