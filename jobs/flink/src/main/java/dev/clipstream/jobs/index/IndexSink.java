package dev.clipstream.jobs.index;

import dev.clipstream.schemas.TagResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The exactly-once sink of results into a Lucene index: {@link IndexSinkWriter} prepares a commit
 * at each checkpoint, {@link IndexCommitter} publishes it when the checkpoint completes. One index
 * has one writer (Lucene's write lock), so the sink runs at parallelism 1.
 */
public final class IndexSink
    implements Sink<TagResult>, SupportsCommitter<Long>, SupportsWriterState<TagResult, Long> {
  private static final long serialVersionUID = 1L;

  private final IndexOptions.Settings settings;

  public IndexSink(IndexOptions.Settings settings) {
    this.settings = settings;
  }

  @Override
  public StatefulSinkWriter<TagResult, Long> createWriter(WriterInitContext context)
      throws IOException {
    return restoreWriter(context, java.util.List.of());
  }

  @Override
  public StatefulSinkWriter<TagResult, Long> restoreWriter(
      WriterInitContext context, Collection<Long> state) throws IOException {
    int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
    if (parallelism != 1) {
      throw new IllegalStateException(
          "the index sink runs at parallelism 1 (one Lucene writer per index), not " + parallelism);
    }
    OptionalLong restored = state.stream().mapToLong(Long::longValue).max();
    return new IndexSinkWriter(settings, restored, context.metricGroup());
  }

  @Override
  public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
    return new CommitSequenceSerializer();
  }

  @Override
  public Committer<Long> createCommitter(CommitterInitContext context) {
    return new IndexCommitter(new IndexLayout(Path.of(settings.path())));
  }

  @Override
  public SimpleVersionedSerializer<Long> getCommittableSerializer() {
    return new CommitSequenceSerializer();
  }
}
