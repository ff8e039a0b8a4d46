package dev.clipstream.jobs.index;

import java.io.IOException;
import java.util.Collection;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.Committer;

/**
 * Makes a checkpoint's Lucene commit the one searches read, once the checkpoint has completed.
 * Flink keeps the committable in the committer's state until this succeeds, so a crash between the
 * checkpoint and this call publishes the commit after the restart.
 */
final class IndexCommitter implements Committer<Long> {
  private final IndexLayout layout;

  IndexCommitter(IndexLayout layout) {
    this.layout = layout;
  }

  @Override
  public void commit(Collection<CommitRequest<Long>> requests) throws IOException {
    long newest = -1;
    for (CommitRequest<Long> r : requests) {
      newest = Math.max(newest, r.getCommittable());
    }
    if (newest < 0) {
      return;
    }
    OptionalLong visible = layout.visible();
    if (visible.isEmpty() || visible.getAsLong() < newest) {
      layout.publish(newest);
    }
  }

  @Override
  public void close() {}
}
