package dev.clipstream.jobs.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training job restored from a savepoint, and from a retained checkpoint, taken several
 * checkpoints before its last: the weights and optimiser files they name are still in the store
 * (the checkpoints' clean-up deleted the newer checkpoints' predecessors, not theirs), so both
 * restores train on from the step they hold.
 */
class TrainingRestoreITCase {

  static final int RETAINED = 4;
  static final int CHUNK = 64;
  static final int EVENTS = 1600;

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  /** One TaskManager with two slots; the JobManager retains {@link #RETAINED} checkpoints. */
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .setConfiguration(
                  METRICS.addToConfiguration(
                      Configuration.fromMap(
                          java.util.Map.of(
                              CheckpointingOptions.MAX_RETAINED_CHECKPOINTS.key(),
                              Integer.toString(RETAINED)))))
              .build());

  @TempDir Path dir;

  @Test
  void restoresFromASavepointAndARetainedCheckpointTakenSeveralCheckpointsBeforeTheLast(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, dir.resolve("start.safetensors"));
    Path store = Files.createDirectories(dir.resolve("store"));
    LabelledImages images =
        FashionMnist.load(
                FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), dir.resolve("cache")))
            .range(0, ContinualTrainingJobITCase.HALF);
    List<byte[]> events = ContinualTrainingJobITCase.captioned(images, 0, EVENTS);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(Pipelines.TOPICS.definitions(1, (short) 1));
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());

      // Job A trains while events arrive in chunks; a savepoint early, then checkpoints go on.
      JobClient a = submit(cluster, kafka, store, false, null, "a");
      Path training = store.resolve("training").resolve(a.getJobID().toString());
      int sent = 0;
      String savepoint = null;
      long savepointStep = -1;
      while (sent < EVENTS) {
        client.produce(Pipelines.TOPICS.input(), null, events.subList(sent, sent + CHUNK));
        sent += CHUNK;
        awaitNewStepCheckpoint(cluster, a, training);
        if (savepoint == null) {
          savepoint =
              a.triggerSavepoint(
                      dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                  .get();
          savepointStep = savepointStep(store, a);
        } else if (savepointStep > 0 && stepFiles(training, savepointStep).isEmpty()) {
          break; // the checkpoint files of the savepoint's step are gone: the case under test
        }
      }
      // A ends on a step that no completed checkpoint holds yet: one more chunk, and A is cancelled
      // as soon as that step's files appear. Otherwise, on a slow machine, the four retained
      // checkpoints (300 ms apart) could all hold A's last step, and a restore from the oldest
      // would have nothing left to train on.
      long before = lastStep(training);
      client.produce(Pipelines.TOPICS.input(), null, events.subList(0, CHUNK));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (lastStep(training) <= before && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      long lastStepOfA = lastStep(training);
      a.cancel().get();
      assertTrue(lastStepOfA > before, "A trained on the last chunk");
      cluster.requestJobResult(a.getJobID()).get();
      assertTrue(savepointStep > 0, "the savepoint holds a trained step");
      assertTrue(
          stepFiles(training, savepointStep).isEmpty(),
          "the checkpoints' clean-up deleted step " + savepointStep + "'s checkpoint files");
      assertTrue(lastStepOfA > savepointStep, "A trained on after the savepoint");

      List<Path> retained = retainedCheckpoints(dir.resolve("checkpoints"), a);
      assertEquals(RETAINED, retained.size(), "Flink retains " + RETAINED + " checkpoints");
      Path oldest = retained.get(0);
      long oldestId = checkpointId(oldest);
      long newestId = checkpointId(retained.get(retained.size() - 1));
      assertTrue(newestId - oldestId >= 3, oldestId + " is 3 or more before " + newestId);

      long fromSavepoint =
          restoreAndTrainOn(cluster, kafka, store, savepoint, lastStepOfA, "b-savepoint");
      long fromRetained =
          restoreAndTrainOn(
              cluster, kafka, store, oldest.toUri().toString(), lastStepOfA, "b-retained");
      System.out.printf(
          "training restore: savepoint at step %d, A went on to step %d; restored from the savepoint"
              + " at step %d, from retained checkpoint %d (newest %d) at step %d%n",
          savepointStep, lastStepOfA, fromSavepoint, oldestId, newestId, fromRetained);
      assertEquals(savepointStep, fromSavepoint, "the savepoint's step and its files");
      assertTrue(fromRetained < lastStepOfA, "the retained checkpoint is behind A's last step");
    }
  }

  /**
   * Restores the job from {@code snapshot} and lets it train until it has checkpointed {@code
   * untilStep}, then cancels it; returns the step it restored (its last step less the steps it
   * took). No restart is allowed, so a missing file fails the job and the test. (The job is
   * cancelled rather than run bounded: the Kafka connector keeps a per-JVM registry of sink
   * prefixes that a bounded job of the same deployment, just finished, may still hold.)
   */
  long restoreAndTrainOn(
      MiniCluster cluster,
      EmbeddedKafka kafka,
      Path store,
      String snapshot,
      long untilStep,
      String name)
      throws Exception {
    JobClient b = submit(cluster, kafka, store, false, snapshot, name);
    Path training = store.resolve("training").resolve(b.getJobID().toString());
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (lastStep(training) < untilStep
        && !b.getJobStatus().get().isGloballyTerminalState()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertFalse(
        b.getJobStatus().get().isGloballyTerminalState(),
        name + " failed: " + b.getJobStatus().get());
    b.cancel().get();
    cluster.requestJobResult(b.getJobID()).get();
    assertTrue(lastStep(training) >= untilStep, name + " trained on to step " + untilStep);
    assertEquals(0, Pipelines.restarts(METRICS, b.getJobID()), name + ": no restarts");
    long taken = Pipelines.total(METRICS, b.getJobID(), "trainingSteps");
    return gauge(b, "trainingStep") - taken;
  }

  /** The last value of the trainer's gauge {@code name} in {@code job}. */
  static long gauge(JobClient job, String name) {
    for (var e : METRICS.getMetricsByIdentifiers(job.getJobID()).entrySet()) {
      if (e.getKey().endsWith("." + name)
          && e.getValue() instanceof org.apache.flink.metrics.Gauge<?> g) {
        return ((Number) g.getValue()).longValue();
      }
    }
    throw new IllegalStateException("no gauge " + name);
  }

  JobClient submit(
      MiniCluster cluster,
      EmbeddedKafka kafka,
      Path store,
      boolean bounded,
      String restoreFrom,
      String name)
      throws Exception {
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.storage", "filesystem");
    conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
    conf.setString(
        "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    // The job's view of the JobManager's retention, which the trainer keeps files for.
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, RETAINED);
    conf.setString("restart-strategy.type", "none");
    if (restoreFrom != null) {
      conf.setString("execution.state-recovery.path", restoreFrom);
    }
    conf.set(TrainingOptions.PUBLISH_EVERY, 1000);
    StreamExecutionEnvironment env =
        new TestStreamEnvironment(cluster, conf, 1, List.of(), List.of());
    env.enableCheckpointing(300);
    ContinualTrainingJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        Pipelines.TOPICS.input(),
        Pipelines.TOPICS.modelUpdates(),
        name,
        bounded,
        28,
        TrainingOptions.settings(
            conf, dir.resolve("start.safetensors").toString(), store.toString()));
    return env.executeAsync(name);
  }

  /** Waits until a checkpoint holding a newer step than before has completed. */
  static void awaitNewStepCheckpoint(MiniCluster cluster, JobClient job, Path training)
      throws Exception {
    long before = lastStep(training);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (lastStep(training) <= before && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    long completed = completed(cluster, job);
    while (completed(cluster, job) < completed + 1 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(System.nanoTime() < deadline, "a checkpoint with a new step completed");
  }

  static long completed(MiniCluster cluster, JobClient job) throws Exception {
    return Pipelines.checkpointStats(cluster, job.getJobID())
        .getCounts()
        .getNumberOfCompletedCheckpoints();
  }

  /** The newest step with files under {@code training}, or -1. */
  static long lastStep(Path training) throws Exception {
    List<Path> files = stepWeightsRetrying(training);
    return files.isEmpty() ? -1 : ContinualTrainingJobITCase.step(files.get(files.size() - 1));
  }

  static List<Path> stepFiles(Path training, long step) throws Exception {
    return stepWeightsRetrying(training).stream()
        .filter(f -> ContinualTrainingJobITCase.step(f) == step)
        .toList();
  }

  static List<Path> stepWeightsRetrying(Path training) throws Exception {
    while (true) {
      try {
        return ContinualTrainingJobITCase.stepWeights(training);
      } catch (java.io.UncheckedIOException e) {
        Thread.sleep(10); // a file went while the folder was walked: ask again
      }
    }
  }

  /** The step of the one savepoint's weights, from their folder under {@code savepoints/}. */
  static long savepointStep(Path store, JobClient job) throws Exception {
    List<Path> files =
        ContinualTrainingJobITCase.stepWeights(
            store.resolve("savepoints").resolve(job.getJobID().toString()));
    assertEquals(1, files.size(), "the savepoint's own weights: " + files);
    return ContinualTrainingJobITCase.step(files.get(0));
  }

  /** The job's retained {@code chk-N} folders, oldest first. */
  static List<Path> retainedCheckpoints(Path root, JobClient job) throws IOException {
    try (Stream<Path> paths = Files.list(root.resolve(job.getJobID().toString()))) {
      return paths
          .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .sorted(Comparator.comparingLong(TrainingRestoreITCase::checkpointId))
          .toList();
    }
  }

  static long checkpointId(Path chk) {
    return Long.parseLong(chk.getFileName().toString().substring("chk-".length()));
  }
}
