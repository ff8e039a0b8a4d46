package dev.clipstream.jobs.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.control.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's file keeper on a real model store in a temporary folder. */
class CheckpointFilesTest {

  static final String OWN = "training/job-a";

  @TempDir Path root;
  ModelStore store;

  @BeforeEach
  void store() {
    store = new ModelStore(root.toString());
  }

  /** Writes the two files of step {@code step} and returns their names. */
  String[] step(int step) throws Exception {
    String stem = String.format("%s/step-%09d-abcdefabcdef", OWN, step);
    return new String[] {write(stem + ".safetensors"), write(stem + ".optimizer.safetensors")};
  }

  String write(String name) throws Exception {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, name);
    return name;
  }

  boolean exists(String name) {
    return Files.exists(root.resolve(name));
  }

  @Test
  void keepsTheFilesOfTheRetainedCheckpointsAndDeletesOlderOnes() throws Exception {
    CheckpointFiles keeper = new CheckpointFiles(store, OWN, 3, 0, List.of(), List.of());
    String[][] steps = new String[7][];
    for (int id = 1; id <= 6; id++) {
      steps[id] = step(id * 10);
      keeper.snapshotted(id, steps[id][0], steps[id][1], null);
      keeper.completed(id, null);
    }
    for (int id = 1; id <= 6; id++) {
      for (String name : steps[id]) {
        assertEquals(id >= 4, exists(name), "checkpoint " + id + ": " + name);
      }
    }
    assertEquals(List.of(4L, 5L, 6L), ids(keeper));
  }

  @Test
  void keepsFilesSharedWithAKeptCheckpointAndThoseOfCheckpointsInFlight() throws Exception {
    CheckpointFiles keeper = new CheckpointFiles(store, OWN, 1, 0, List.of(), List.of());
    String[] first = step(10);
    keeper.snapshotted(1, first[0], first[1], null);
    keeper.completed(1, null);
    keeper.snapshotted(2, first[0], first[1], null); // no step since: the same files
    String[] later = step(20);
    keeper.snapshotted(3, later[0], later[1], null); // in flight when 2 completes
    keeper.completed(2, null);
    assertTrue(exists(first[0]) && exists(first[1]), "checkpoint 2 still references them");
    assertTrue(exists(later[0]), "checkpoint 3 may yet complete");
    keeper.completed(3, null);
    assertFalse(exists(first[0]), "no retained checkpoint references step 10 any more");
    assertTrue(exists(later[0]) && exists(later[1]));
  }

  @Test
  void aSavepointsCompletionDeletesNothing() throws Exception {
    CheckpointFiles keeper = new CheckpointFiles(store, OWN, 1, 0, List.of(), List.of());
    String[] files = step(10);
    keeper.snapshotted(1, files[0], files[1], null);
    keeper.completed(1, null);
    keeper.completed(2, null); // a savepoint: not tracked
    assertTrue(exists(files[0]) && exists(files[1]));
    assertEquals(List.of(1L), ids(keeper));
  }

  @Test
  void neverDeletesFilesOutsideItsOwnDirectory() throws Exception {
    String savepoint = write("savepoints/job-0/7-1234abcd/step-000000010-abcdefabcdef.safetensors");
    String otherJob = write("training/job-0/step-000000010-abcdefabcdef.optimizer.safetensors");
    SnapshotFiles restored = new SnapshotFiles(7, savepoint, otherJob, null);
    CheckpointFiles keeper = new CheckpointFiles(store, OWN, 1, 0, List.of(restored), List.of());
    String[] own = step(20);
    keeper.snapshotted(8, own[0], own[1], null);
    keeper.completed(8, null);
    assertEquals(List.of(8L), ids(keeper), "checkpoint 7 is no longer retained");
    assertTrue(exists(savepoint), "a savepoint's files are the user's");
    assertTrue(exists(otherJob), "another job's files are that job's");
  }

  @Test
  void deletesPublicationsBeyondTheRetainedOnesUnlessAKeptCheckpointServesThem() throws Exception {
    CheckpointFiles keeper = new CheckpointFiles(store, OWN, 1, 2, List.of(), List.of());
    String[] published = new String[5];
    for (int n = 1; n <= 4; n++) {
      published[n] = write("published/continual-step-" + n + "0.safetensors");
      write(CheckpointFiles.manifestOf(published[n]));
      keeper.published(published[n]);
    }
    String[] files = step(40);
    keeper.snapshotted(1, files[0], files[1], published[1]); // still serves step 10
    keeper.completed(1, published[4]);
    assertTrue(exists(published[1]), "the retained checkpoint serves it");
    assertTrue(exists(published[3]) && exists(published[4]));

    keeper.snapshotted(2, files[0], files[1], published[4]);
    keeper.completed(2, published[4]);
    assertFalse(exists(published[1]));
    assertFalse(exists(CheckpointFiles.manifestOf(published[1])), "with its manifest");
    assertFalse(exists(published[2]));
    assertTrue(exists(published[3]) && exists(published[4]), "the newest two stay");
    assertEquals(List.of(published[3], published[4]), keeper.publications());
  }

  @Test
  void aFailoverSweepsTheFilesOfCheckpointsThatNeverCompleted() throws Exception {
    String[] kept = step(10);
    String[] orphan = step(20);
    String foreign = write("training/job-0/step-000000030-abcdefabcdef.safetensors");
    CheckpointFiles keeper =
        new CheckpointFiles(
            store, OWN, 1, 0, List.of(new SnapshotFiles(5, kept[0], kept[1], null)), List.of());
    keeper.sweep(null);
    assertTrue(exists(kept[0]) && exists(kept[1]));
    assertFalse(exists(orphan[0]) || exists(orphan[1]));
    assertTrue(exists(foreign));
  }

  static List<Long> ids(CheckpointFiles keeper) {
    return keeper.snapshots().stream().map(s -> s.checkpointId).toList();
  }
}
