package dev.clipstream.jobs.index;

import dev.clipstream.schemas.TagResult;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Upserts each result into the Lucene index and, when a checkpoint is taken, writes a durable
 * Lucene commit numbered by a sequence that goes into the checkpoint (as the writer's state and as
 * the committable). The commit becomes searchable only when the checkpoint completes ({@link
 * IndexCommitter}); on restore the index is rolled back to the checkpoint's commit, so the records
 * replayed from the checkpoint's offsets land once.
 */
final class IndexSinkWriter
    implements CommittingSinkWriter<TagResult, Long>, StatefulSinkWriter<TagResult, Long> {

  private final IndexWriters.Opened index;
  private final Counter documents;
  private final Counter commits;
  private long sequence;
  private boolean changed;

  IndexSinkWriter(IndexOptions.Settings settings, OptionalLong restored, MetricGroup metrics)
      throws IOException {
    this.index =
        IndexWriters.open(
            new IndexLayout(java.nio.file.Path.of(settings.path())),
            restored,
            settings.ramBufferMb());
    this.sequence = index.base();
    this.documents = metrics.counter("documentsIndexed");
    this.commits = metrics.counter("indexCommits");
    metrics.gauge("indexSequence", () -> sequence);
  }

  @Override
  public void write(TagResult result, Context context) throws IOException {
    index
        .writer()
        .updateDocument(
            IndexDocuments.key(result.getEventId().toString(), result.getModelVersion().toString()),
            IndexDocuments.of(result));
    changed = true;
    documents.inc();
  }

  @Override
  public void flush(boolean endOfInput) {
    // Lucene buffers the documents; they become durable with the checkpoint's commit.
  }

  @Override
  public List<Long> prepareCommit() throws IOException {
    if (changed) {
      sequence++;
      IndexWriters.commit(index.writer(), sequence);
      changed = false;
      commits.inc();
    }
    return List.of(sequence);
  }

  @Override
  public List<Long> snapshotState(long checkpointId) {
    return List.of(sequence);
  }

  @Override
  public void close() throws Exception {
    // Anything not in a commit is not in a checkpoint either: a restart replays it.
    try {
      index.writer().rollback();
    } finally {
      index.directory().close();
    }
  }
}
