package dev.clipstream.jobs.index;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** Opens the index's writer at the commit a (restored) sink starts from. */
final class IndexWriters {
  private IndexWriters() {}

  /** A writer positioned at commit {@code base}; new commits are numbered from base + 1. */
  record Opened(Directory directory, IndexWriter writer, long base) {}

  /**
   * Opens the writer of {@code layout}. A restored sink passes the sequence its checkpoint
   * prepared: the index is rolled back to that commit, so what came after it (replayed from the
   * checkpoint's offsets) is written once. A fresh sink starts from the visible commit, or creates
   * the index with an empty commit 0.
   */
  static Opened open(IndexLayout layout, OptionalLong restored, double ramBufferMb)
      throws IOException {
    Files.createDirectories(layout.lucene());
    Directory dir = FSDirectory.open(layout.lucene());
    try {
      boolean exists = DirectoryReader.indexExists(dir);
      long base;
      IndexCommit start = null;
      if (restored.isPresent()) {
        base = restored.getAsLong();
        Optional<IndexCommit> commit = IndexLayout.commit(dir, base);
        if (commit.isEmpty()) {
          throw new IndexError(
              layout.root()
                  + " has no commit "
                  + base
                  + ", which the restored checkpoint wrote: the index was deleted or replaced");
        }
        start = commit.get();
      } else if (exists) {
        OptionalLong visible = layout.visible();
        base = visible.isPresent() ? visible.getAsLong() : 0;
        start =
            IndexLayout.commit(dir, base)
                .orElseThrow(
                    () ->
                        new IndexError(
                            layout.root()
                                + " has no commit "
                                + base
                                + ", which it says is visible"));
      } else {
        base = 0;
      }
      if (start != null) {
        IndexLayout.checkFormat(start, layout.root());
      }
      OptionalLong visible = layout.visible();
      if (visible.isPresent() && visible.getAsLong() > base) {
        // A restore from an older checkpoint rewinds what searches see, too.
        layout.publish(base);
      }
      IndexWriterConfig config =
          new IndexWriterConfig()
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
              .setIndexDeletionPolicy(new KeepSearchableCommits(layout, base))
              .setRAMBufferSizeMB(ramBufferMb)
              .setCommitOnClose(false);
      if (start != null) {
        config.setIndexCommit(start);
      }
      IndexWriter writer = new IndexWriter(dir, config);
      if (!exists) {
        commit(writer, 0);
      }
      return new Opened(dir, writer, base);
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** A durable Lucene commit numbered {@code sequence}. */
  static void commit(IndexWriter writer, long sequence) throws IOException {
    writer.setLiveCommitData(
        Map.of(
                IndexLayout.FORMAT_KEY,
                Integer.toString(IndexLayout.FORMAT),
                IndexLayout.SEQUENCE_KEY,
                Long.toString(sequence))
            .entrySet());
    writer.commit();
  }
}
