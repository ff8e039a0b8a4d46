package dev.clipstream.jobs.training;

import dev.clipstream.jobs.control.ModelStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the trainer's files in the model store while a snapshot that Flink may still restore
 * references them, and deletes them after: the files of the newest {@code retainedCheckpoints}
 * completed checkpoints (Flink's {@code execution.checkpointing.num-retained}) and of every
 * checkpoint newer than those stay; older ones go once a newer checkpoint completes. Published
 * weights beyond the newest {@code retainedPublications} go too, unless a kept checkpoint serves
 * them.
 *
 * <p>It only ever deletes files this job wrote under its own directory ({@code training/<job id>/})
 * and publications it made itself: a job restored from another job's savepoint or retained
 * checkpoint leaves that job's files alone, since its snapshots may still be restored. Savepoints
 * are never tracked here; their files are written apart ({@code savepoints/}) and stay until the
 * user deletes them with the savepoint.
 */
final class CheckpointFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);

  private final ModelStore store;
  private final String ownDirectory;
  private final int retainedCheckpoints;
  private final int retainedPublications;
  private final List<SnapshotFiles> snapshots;
  private final List<String> publications;

  /**
   * @param ownDirectory the directory this job writes its checkpoint files to: only files in it are
   *     deleted
   * @param snapshots the checkpoints restored with the state (all completed: a restore is from a
   *     completed checkpoint), oldest first
   * @param publications the store names of this job's published weights, oldest first
   */
  CheckpointFiles(
      ModelStore store,
      String ownDirectory,
      int retainedCheckpoints,
      int retainedPublications,
      List<SnapshotFiles> snapshots,
      List<String> publications) {
    if (retainedCheckpoints < 1) {
      throw new IllegalArgumentException("retain the files of at least one checkpoint");
    }
    this.store = store;
    this.ownDirectory = ownDirectory.endsWith("/") ? ownDirectory : ownDirectory + "/";
    this.retainedCheckpoints = retainedCheckpoints;
    this.retainedPublications = retainedPublications;
    this.snapshots = new ArrayList<>(snapshots);
    this.snapshots.forEach(s -> s.completed = true);
    this.publications = new ArrayList<>(publications);
  }

  /** A checkpoint (not a savepoint) is being taken that references these files. */
  void snapshotted(long checkpointId, String weights, String optimizer, String served) {
    snapshots.add(new SnapshotFiles(checkpointId, weights, optimizer, served));
  }

  /** Weights were published under {@code name} (with a manifest beside them). */
  void published(String name) {
    publications.add(name);
  }

  /** What to put into the checkpoint: the snapshots still tracked, oldest first. */
  List<SnapshotFiles> snapshots() {
    List<SnapshotFiles> copy = new ArrayList<>();
    for (SnapshotFiles s : snapshots) {
      SnapshotFiles c = new SnapshotFiles(s.checkpointId, s.weights, s.optimizer, s.served);
      c.completed = s.completed;
      copy.add(c);
    }
    return copy;
  }

  List<String> publications() {
    return List.copyOf(publications);
  }

  /** Every store name a tracked snapshot references. */
  Set<String> referenced() {
    Set<String> names = new HashSet<>();
    for (SnapshotFiles s : snapshots) {
      names.add(s.weights);
      names.add(s.optimizer);
      names.add(s.served);
    }
    names.remove(null);
    return names;
  }

  /**
   * Checkpoint {@code checkpointId} completed: the checkpoints older than the newest retained
   * completed ones can no longer be restored, so their files go (unless a kept one shares them). An
   * id this keeper does not know (a savepoint) changes nothing.
   */
  void completed(long checkpointId, String currentlyServed) throws IOException {
    for (SnapshotFiles s : snapshots) {
      if (s.checkpointId == checkpointId) {
        s.completed = true;
      }
    }
    List<SnapshotFiles> done = snapshots.stream().filter(s -> s.completed).toList();
    List<SnapshotFiles> dropped = List.of();
    long floor = 0;
    if (done.size() > retainedCheckpoints) {
      long oldestKept = done.get(done.size() - retainedCheckpoints).checkpointId;
      floor = oldestKept;
      dropped = snapshots.stream().filter(s -> s.checkpointId < oldestKept).toList();
      snapshots.removeAll(dropped);
    }
    Set<String> kept = referenced();
    kept.add(currentlyServed);
    for (SnapshotFiles s : dropped) {
      for (String name : new String[] {s.weights, s.optimizer}) {
        if (name != null && name.startsWith(ownDirectory) && !kept.contains(name)) {
          store.delete(name);
          kept.add(name); // once
          LOG.debug("deleted {}, referenced only by checkpoints older than {}", name, floor);
        }
      }
    }
    prunePublications(kept);
  }

  /**
   * Deletes publications beyond the newest {@code retainedPublications} that nothing kept serves.
   */
  private void prunePublications(Set<String> kept) throws IOException {
    if (retainedPublications <= 0) {
      return;
    }
    while (publications.size() > retainedPublications) {
      String oldest = publications.get(0);
      if (kept.contains(oldest)) {
        return; // a retained checkpoint still serves it: it goes later
      }
      publications.remove(0);
      store.delete(oldest);
      store.delete(manifestOf(oldest));
      LOG.debug("deleted publication {}", oldest);
    }
  }

  /** The manifest written beside published weights {@code name}. */
  static String manifestOf(String name) {
    return name.replaceFirst("\\.safetensors$", "") + ".manifest.json";
  }

  /**
   * Deletes the files in this job's directory that no tracked snapshot references: after a failover
   * these are the files of checkpoints that never completed.
   */
  void sweep(String currentlyServed) throws IOException {
    Set<String> kept = referenced();
    for (String name : store.list(ownDirectory)) {
      if (!kept.contains(name) && !Objects.equals(name, currentlyServed)) {
        store.delete(name);
        LOG.info("deleted {}: written for a checkpoint that did not complete", name);
      }
    }
  }
}
