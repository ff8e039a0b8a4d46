package dev.clipstream.jobs.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink writer's Lucene commits on a real index folder: searches see only the published commit,
 * a restore rolls back to the checkpoint's commit, and an upsert replaces.
 */
class IndexCommitsTest {

  @TempDir Path dir;

  @Test
  void searchesSeeOnlyThePublishedCommit() throws Exception {
    IndexOptions.Settings settings = IndexOptions.Settings.of(dir.toString());
    IndexLayout layout = new IndexLayout(dir);
    IndexSinkWriter writer = new IndexSinkWriter(settings, OptionalLong.empty(), metrics());
    try {
      writer.write(result("a", "v1"), null);
      long first = writer.prepareCommit().iterator().next();
      layout.publish(first);
      writer.write(result("b", "v1"), null);
      writer.prepareCommit();
      // The second checkpoint has not completed: its commit is on disk but not searched.
      assertEquals(Set.of("a"), ids());
    } finally {
      writer.close();
    }
  }

  @Test
  void aRestoreRollsBackToItsCheckpointsCommit() throws Exception {
    IndexOptions.Settings settings = IndexOptions.Settings.of(dir.toString());
    IndexLayout layout = new IndexLayout(dir);
    long checkpointed;
    IndexSinkWriter writer = new IndexSinkWriter(settings, OptionalLong.empty(), metrics());
    try {
      writer.write(result("a", "v1"), null);
      checkpointed = writer.prepareCommit().iterator().next();
      assertEquals(List.of(checkpointed), writer.snapshotState(1));
      layout.publish(checkpointed);
      // Written and committed for a checkpoint that never completes, then the task dies.
      writer.write(result("b", "v1"), null);
      writer.write(result("c", "v1"), null);
      writer.prepareCommit();
    } finally {
      writer.close();
    }

    IndexSinkWriter restored =
        new IndexSinkWriter(settings, OptionalLong.of(checkpointed), metrics());
    try {
      // The replay from the checkpoint's offsets brings b and c again, and a new one.
      restored.write(result("b", "v1"), null);
      restored.write(result("c", "v1"), null);
      restored.write(result("d", "v1"), null);
      layout.publish(restored.prepareCommit().iterator().next());
    } finally {
      restored.close();
    }
    try (IndexSearch search = IndexSearch.open(dir)) {
      assertEquals(4, search.stats().documents(), "each event once");
      assertEquals(Set.of("a", "b", "c", "d"), search.eventIds());
    }
  }

  @Test
  void anUpsertReplacesTheEventsDocumentOfTheSameVersionOnly() throws Exception {
    try (DirectIndexWriter writer = new DirectIndexWriter(dir)) {
      writer.upsert(result("a", "v1"));
      writer.upsert(result("a", "v1"));
      writer.upsert(result("a", "v2"));
      writer.publish();
    }
    try (IndexSearch search = IndexSearch.open(dir)) {
      IndexStats stats = search.stats();
      assertEquals(2, stats.documents());
      assertEquals(1, stats.events());
      assertEquals(java.util.Map.of("v1", 1, "v2", 1), stats.perModelVersion());
    }
  }

  @Test
  void aRestoreWhoseCommitIsGoneSaysSo() throws Exception {
    IndexOptions.Settings settings = IndexOptions.Settings.of(dir.toString());
    new IndexSinkWriter(settings, OptionalLong.empty(), metrics()).close();
    IndexError e =
        assertThrows(
            IndexError.class, () -> new IndexSinkWriter(settings, OptionalLong.of(42), metrics()));
    assertTrue(e.getMessage().contains("has no commit 42"), e.getMessage());
  }

  @Test
  void anIndexWithNoCompletedCheckpointIsNotSearchable() throws Exception {
    new IndexSinkWriter(IndexOptions.Settings.of(dir.toString()), OptionalLong.empty(), metrics())
        .close();
    IndexError e = assertThrows(IndexError.class, () -> IndexSearch.open(dir));
    assertTrue(e.getMessage().contains("no completed checkpoint"), e.getMessage());
  }

  private Set<String> ids() throws Exception {
    try (IndexSearch search = IndexSearch.open(dir)) {
      return search.eventIds();
    }
  }

  private static UnregisteredMetricsGroup metrics() {
    return new UnregisteredMetricsGroup();
  }

  private static TagResult result(String id, String version) {
    float s = (float) Math.sqrt(0.5);
    return TagResult.newBuilder()
        .setEventId(id)
        .setEventTime(Instant.ofEpochMilli(1000))
        .setProcessingTime(Instant.ofEpochMilli(2000))
        .setModelVersion(version)
        .setImageEmbedding(List.of(s, s))
        .setLabels(List.of(new LabelScore("bag", 0.9f)))
        .setLabelSet("test")
        .setLabelSetVersion(1)
        .build();
  }
}
