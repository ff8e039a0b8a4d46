package dev.clipstream.jobs.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.Directory;

/**
 * An index folder on disk: the Lucene index in {@code lucene/} and, beside it, the file {@code
 * visible-commit} naming the Lucene commit that searches read. The sink writes a Lucene commit when
 * a checkpoint is taken (numbered by a sequence kept in the sink's state) and moves {@code
 * visible-commit} to it when that checkpoint completes; commits of checkpoints that never completed
 * are never searched, and a restored job rolls the index back to its checkpoint's commit.
 */
public record IndexLayout(Path root) {

  /** The index format this code writes and reads; an index of a higher one is refused. */
  public static final int FORMAT = 1;

  static final String FORMAT_KEY = "clipstream.index.format";
  static final String SEQUENCE_KEY = "clipstream.index.sequence";

  public Path lucene() {
    return root.resolve("lucene");
  }

  public Path visibleFile() {
    return root.resolve("visible-commit");
  }

  /** The sequence number of the visible commit, if a checkpoint has completed yet. */
  public OptionalLong visible() throws IOException {
    Path file = visibleFile();
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IndexError(file + " does not hold a commit number: '" + text + "'");
    }
  }

  /** Makes commit {@code sequence} the visible one: written aside, synced, renamed over. */
  void publish(long sequence) throws IOException {
    Files.createDirectories(root);
    Path aside = root.resolve("visible-commit.tmp");
    try (FileChannel out =
        FileChannel.open(
            aside,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      out.write(
          java.nio.ByteBuffer.wrap(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII)));
      out.force(true);
    }
    try {
      Files.move(
          aside,
          visibleFile(),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(aside, visibleFile(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The sequence number a commit was written under (0 for the empty first commit). */
  static long sequence(IndexCommit commit) throws IOException {
    String value = commit.getUserData().get(SEQUENCE_KEY);
    if (value == null) {
      throw new IndexError(
          "Lucene commit " + commit.getSegmentsFileName() + " was not written by clipstream");
    }
    return Long.parseLong(value);
  }

  /** The commit with {@code sequence}, if it is still on disk. */
  static Optional<IndexCommit> commit(Directory dir, long sequence) throws IOException {
    if (!DirectoryReader.indexExists(dir)) {
      return Optional.empty();
    }
    List<IndexCommit> commits = DirectoryReader.listCommits(dir);
    for (IndexCommit c : commits) {
      if (sequence(c) == sequence) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Refuses a commit written by a newer clipstream, in one line. */
  static void checkFormat(IndexCommit commit, Path where) throws IOException {
    Map<String, String> data = commit.getUserData();
    String format = data.get(FORMAT_KEY);
    if (format == null) {
      throw new IndexError(where + " is not a clipstream index (no format in its commit)");
    }
    int version = Integer.parseInt(format);
    if (version > FORMAT) {
      throw new IndexError(
          where
              + " is an index of format "
              + version
              + ", written by a newer clipstream; this one reads format "
              + FORMAT);
    }
  }
}
