package dev.clipstream.jobs.index;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;

/**
 * Keeps the commits a search or a recovery may still need: the visible one and every later one
 * (written for checkpoints that have not completed yet). Older commits go. When the writer opens,
 * commits after {@code base} (the restored checkpoint's commit) are abandoned work of a failed
 * attempt, and go too: their sequence numbers are written again.
 */
final class KeepSearchableCommits extends IndexDeletionPolicy {
  private final IndexLayout layout;
  private final long base;

  KeepSearchableCommits(IndexLayout layout, long base) {
    this.layout = layout;
    this.base = base;
  }

  @Override
  public void onInit(List<? extends IndexCommit> commits) throws IOException {
    for (IndexCommit c : commits) {
      if (IndexLayout.sequence(c) > base) {
        c.delete();
      }
    }
    onCommit(commits);
  }

  @Override
  public void onCommit(List<? extends IndexCommit> commits) throws IOException {
    OptionalLong visible = layout.visible();
    if (visible.isEmpty()) {
      return;
    }
    // Commits are sorted oldest first; the last one always stays.
    for (int i = 0; i < commits.size() - 1; i++) {
      IndexCommit c = commits.get(i);
      if (!c.isDeleted() && IndexLayout.sequence(c) < visible.getAsLong()) {
        c.delete();
      }
    }
  }
}
