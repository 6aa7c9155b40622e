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

  @Test
  void shardBatchesGivesEachReplicaItsPartOfEveryGlobalBatch() {
    // 10 examples in global batches of 4: [0..3], [4..7], [8, 9]; 2 replicas take halves
    assertEquals(List.of(0, 1, 4, 5, 8), labelsOf(indexed(10).batch(4).shardBatches(2, 0)));
    assertEquals(List.of(2, 3, 6, 7, 9), labelsOf(indexed(10).batch(4).shardBatches(2, 1)));
    // uneven parts: the first rows % n parts take one row more
    assertEquals(List.of(0, 1, 5, 6), labelsOf(indexed(10).batch(5).shardBatches(3, 0)));
    assertEquals(List.of(2, 3, 7, 8), labelsOf(indexed(10).batch(5).shardBatches(3, 1)));
    assertEquals(List.of(4, 9), labelsOf(indexed(10).batch(5).shardBatches(3, 2)));
    // every replica steps through every batch: the same count of steps
    assertEquals(3, indexed(10).batch(4).shardBatches(2, 1).cardinality());
  }

  @Test
  void theReplicasPartsMakeUpTheGlobalBatchInOrder() {
    List<Integer> all = new ArrayList<>();
    List<List<Integer>> parts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      parts.add(labelsOf(indexed(24).batch(8, true).shardBatches(3, i)));
    }
    for (int batch = 0; batch < 3; batch++) {
      for (List<Integer> part : parts) {
        all.addAll(part.subList(batch * part.size() / 3, (batch + 1) * part.size() / 3));
      }
    }
    assertEquals(labelsOf(indexed(24)), all);
  }

  @Test
  void aFixedBatchSizeGivesAFixedPartSize() {
    assertEquals(3, indexed(12).batch(6, true).shardBatches(2, 1).featureShape().size(0));
    assertEquals(3, indexed(12).batch(7, true).shardBatches(3, 0).featureShape().size(0));
    assertEquals(2, indexed(12).batch(7, true).shardBatches(3, 2).featureShape().size(0));
    assertEquals(-1, indexed(12).batch(6).shardBatches(2, 1).featureShape().size(0));
  }

  @Test
  void shardBatchesRefusesWhatItCannotSplit() {
    var unbatched = assertThrows(IllegalStateException.class, () -> indexed(3).shardBatches(2, 0));
    assertTrue(unbatched.getMessage().contains("this dataset is not batched"), unbatched.getMessage());
    var index = assertThrows(IllegalArgumentException.class, () -> indexed(3).batch(2).shardBatches(2, 2));
    assertTrue(index.getMessage().contains("index must be between 0 and numShards - 1 (1), received: index=2"));
    assertThrows(IllegalArgumentException.class, () -> indexed(3).batch(2).shardBatches(0, 0));
    // the last batch holds 1 example for 2 replicas
    var small = assertThrows(IllegalStateException.class, () -> labelsOf(indexed(5).batch(2).shardBatches(2, 1)));
    assertTrue(small.getMessage().contains("Batch 2 has 1 examples, fewer than the 2 parts"), small.getMessage());
    assertEquals(List.of(1, 3), labelsOf(indexed(5).batch(2, true).shardBatches(2, 1)));
  }
}
