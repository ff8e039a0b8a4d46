package dev.clipstream.jobs.index;

import dev.clipstream.schemas.TagResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Writes results into an index folder outside Flink (benchmarks, tools), with the same documents,
 * commits and visibility as the sink: {@link #publish} commits and makes the commit searchable at
 * once. Not for an index a running sink writes (Lucene allows one writer).
 */
public final class DirectIndexWriter implements AutoCloseable {
  private final IndexLayout layout;
  private final IndexWriters.Opened index;
  private long sequence;

  public DirectIndexWriter(Path root) throws IOException {
    this.layout = new IndexLayout(root);
    this.index =
        IndexWriters.open(layout, OptionalLong.empty(), IndexOptions.RAM_BUFFER_MB.defaultValue());
    this.sequence = index.base();
  }

  /** Adds or replaces the document of the result's event and model version. */
  public void upsert(TagResult result) throws IOException {
    index
        .writer()
        .updateDocument(
            IndexDocuments.key(result.getEventId().toString(), result.getModelVersion().toString()),
            IndexDocuments.of(result));
  }

  /** Commits what was written and makes it the visible commit. */
  public void publish() throws IOException {
    sequence++;
    IndexWriters.commit(index.writer(), sequence);
    layout.publish(sequence);
  }

  @Override
  public void close() throws IOException {
    try {
      index.writer().rollback();
    } finally {
      index.directory().close();
    }
  }
}
