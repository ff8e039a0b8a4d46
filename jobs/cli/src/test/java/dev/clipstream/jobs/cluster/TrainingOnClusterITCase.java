package dev.clipstream.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.deploy.TrainingJobMain;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continual-training job on the multi-process cluster, its weight store on a directory every
 * TaskManager process reads and writes: it resumes after the TaskManager that trains is killed, and
 * a savepoint taken several checkpoints before the last one still restores (its weight files are
 * still there).
 */
@ExtendWith(SharedCluster.class)
class TrainingOnClusterITCase {
  static final Duration PATIENCE = ClusterTagging.PATIENCE;

  @TempDir Path cache;

  private final Set<String> jobs = new HashSet<>();

  LocalCluster cluster() {
    return SharedCluster.get().cluster();
  }

  RestClient rest() {
    return cluster().rest();
  }

  @AfterEach
  void cancelLeftovers() throws Exception {
    ClusterJobs.cancelRunning(rest(), jobs);
  }

  @Test
  void resumesAfterATaskManagerKillAndRestoresASavepointTakenCheckpointsBefore() throws Exception {
    long start = System.nanoTime();
    DemoImages images = ClusterTagging.images(cache);
    ClusterTagging topics = new ClusterTagging("training", cluster().bootstrapServers(), images);
    topics.createTopics(2, null);
    Path shared = Files.createDirectories(cluster().layout().dir().resolve("training"));
    Path weights = shared.resolve("start.safetensors");
    DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, weights);
    Path store = Files.createDirectories(shared.resolve("store"));
    JobSubmission submission =
        new JobSubmission(
            TrainingJobMain.class.getName(),
            1,
            List.of(
                "--kafka.bootstrap-servers", cluster().bootstrapServers(),
                "--topics.input", topics.topics.input(),
                "--topics.model-updates", topics.topics.modelUpdates(),
                "--training.group-id", "cluster-training",
                "--model.store", store.toString(),
                "--model.weights", weights.toString(),
                "--execution.checkpointing.interval", "2 s",
                "--training.batch-size", "16",
                "--training.new-pairs-per-batch", "8",
                "--training.holdout-size", "32",
                "--training.publish-every-steps", "10",
                "--training.guard-tolerance", "1.0"),
            null);
    // Every other demo event has a caption: 200 events, ~90 training pairs, ~11 steps.
    topics.produce(200);
    String job = rest().run(SharedCluster.get().jarId(), submission);
    jobs.add(job);
    rest().awaitRunning(job, PATIENCE);
    long firstStep = awaitStepBeyond(store, 0);
    awaitCheckpoints(job, 1);

    String victim = rest().subtaskLocations(job, "train-contrastive").get(0);
    cluster().kill(victim);
    String replacement = cluster().startTaskManager();
    System.out.printf(
        "cluster training: step %d on disk, SIGKILL %s, started %s%n",
        firstStep, victim, replacement);
    topics.produce(200);
    rest().awaitRunning(job, PATIENCE);
    long restored = rest().completedCheckpoints(job);
    long afterKill = awaitStepBeyond(store, firstStep);
    awaitCheckpoints(job, restored + 1);
    long restarts = rest().restarts(job);
    int failures = rest().failures(job);
    assertTrue(failures >= 1, "the job failed over after the kill");
    System.out.printf(
        "cluster training: resumed after the kill, step %d, restarts %d, failures %d%n",
        afterKill, restarts, failures);

    // A savepoint, then at least 3 completed checkpoints with training steps between them.
    String savepoint = rest().savepoint(job, cluster().layout().savepointDir(), PATIENCE);
    long savepointStep = lastStep(store);
    long checkpointsAtSavepoint = rest().completedCheckpoints(job);
    topics.produce(300);
    awaitCheckpoints(job, checkpointsAtSavepoint + 4);
    long lastStep = awaitStepBeyond(store, savepointStep);
    rest().cancel(job);
    rest().awaitState(job, PATIENCE, "CANCELED");
    System.out.printf(
        "cluster training: savepoint at step %d (%s), then %d checkpoints up to step %d%n",
        savepointStep,
        savepoint,
        rest().completedCheckpoints(job) - checkpointsAtSavepoint,
        lastStep);

    String resumed = rest().run(SharedCluster.get().jarId(), submission.resumedFrom(savepoint, 1));
    jobs.add(resumed);
    // Not awaitRunning: a restore that cannot find its files never has all tasks running.
    topics.produce(100);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (rest().completedCheckpoints(resumed) < 2
        && rest().failures(resumed) == 0
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    // The exception history counts every failure; numRestarts may not be published yet for a job
    // that just started, so it only adds to it when the JobManager has it.
    long resumedRestarts = rest().failures(resumed);
    try {
      resumedRestarts = Math.max(resumedRestarts, rest().restarts(resumed));
    } catch (java.io.IOException noMetricYet) {
      System.out.printf("cluster training: %s%n", noMetricYet.getMessage());
    }
    List<ConsumerRecord<byte[], byte[]>> updates =
        topics.client.readCommitted(topics.topics.modelUpdates(), 1, Duration.ofSeconds(10));
    Set<String> versions = new HashSet<>();
    SingleObjectCodec<ModelUpdate> codec = SingleObjectCodec.of(ModelUpdate.class);
    int duplicateVersions = 0;
    for (ConsumerRecord<byte[], byte[]> r : updates) {
      if (!versions.add(codec.decode(r.value()).value().getModelVersion().toString())) {
        duplicateVersions++;
      }
    }
    System.out.printf(
        "cluster training: inputs %d, model updates %d, duplicate versions %d, restarts %d before"
            + " the savepoint, %d after the restore from it, %.1f s%n",
        topics.inputs(),
        updates.size(),
        duplicateVersions,
        restarts,
        resumedRestarts,
        (System.nanoTime() - start) / 1e9);
    assertEquals(
        0,
        resumedRestarts,
        "the job restored from the savepoint without failing: "
            + ClusterJobs.rootCause(rest(), resumed));
    assertTrue(rest().completedCheckpoints(resumed) >= 2, "and keeps checkpointing");
    assertEquals(0, duplicateVersions, "each published version once");
  }

  void awaitCheckpoints(String job, long atLeast) throws Exception {
    rest().awaitCompletedCheckpoints(job, atLeast, PATIENCE);
  }

  /** Waits until a weights file of a step above {@code step} is in the store; returns its step. */
  static long awaitStepBeyond(Path store, long step) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (lastStep(store) <= step && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    long last = lastStep(store);
    assertTrue(last > step, "training went past step " + step);
    return last;
  }

  static long lastStep(Path store) throws Exception {
    Path training = store.resolve("training");
    if (!Files.isDirectory(training)) {
      return 0;
    }
    // The trainer writes training/<job id>/step-<N>-<first 12 hex of the SHA-256>.safetensors.
    java.util.regex.Pattern name =
        java.util.regex.Pattern.compile("step-(\\d+)(-[0-9a-f]+)?\\.safetensors");
    try (Stream<Path> files = Files.walk(training)) {
      return files
          .map(f -> name.matcher(f.getFileName().toString()))
          .filter(java.util.regex.Matcher::matches)
          .mapToLong(m -> Long.parseLong(m.group(1)))
          .max()
          .orElse(0);
    }
  }
}
