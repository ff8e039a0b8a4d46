package dev.clipstream.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.runtime.DemoImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagging job as a user deploys it: the shaded jar uploaded to the JobManager of a
 * multi-process cluster and run through the REST API, against three brokers. Each scenario checks
 * the committed (read_committed) output holds every input exactly once, as a result or a dead
 * letter. The scenarios share one cluster; the order only keeps the TaskManager kill before the
 * rest (it replaces one TaskManager process).
 */
@ExtendWith(SharedCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaggingOnClusterITCase {
  static final Duration PATIENCE = ClusterTagging.PATIENCE;

  @TempDir static Path cache;

  static DemoImages images;

  @BeforeAll
  static void loadImages() throws Exception {
    images = ClusterTagging.images(cache);
  }

  LocalCluster cluster() {
    return SharedCluster.get().cluster();
  }

  RestClient rest() {
    return cluster().rest();
  }

  private final java.util.Set<String> jobs = new HashSet<>();

  @org.junit.jupiter.api.AfterEach
  void cancelLeftovers() {
    ClusterJobs.cancelRunning(rest(), jobs);
  }

  String submit(JobSubmission submission) throws Exception {
    String job = rest().run(SharedCluster.get().jarId(), submission);
    jobs.add(job);
    rest().awaitRunning(job, PATIENCE);
    return job;
  }

  @Test
  @Order(1)
  void tagsEachInputOnceAtParallelismTwoOverTwoTaskManagerProcesses() throws Exception {
    long start = System.nanoTime();
    ClusterTagging run = new ClusterTagging("spread", cluster().bootstrapServers(), images);
    run.createTopics(4, null);
    run.produce(120);
    String job = submit(run.submission(2));
    List<String> encoders = rest().subtaskLocations(job, "batch-encode-label");
    System.out.println("cluster spread: encoders on " + encoders);
    assertEquals(2, new HashSet<>(encoders).size(), "the two encoders run in two processes");
    run.awaitResults(120);
    long restarts = rest().restarts(job);
    rest().cancel(job);
    run.assertExactlyOnce("parallelism 2, 4 partitions", restarts, start);
    assertEquals(0, restarts, "no restarts");
    rest().awaitState(job, PATIENCE, "CANCELED");
  }

  @Test
  @Order(2)
  void keepsEachResultOnceWhenATaskManagerProcessIsKilled() throws Exception {
    long start = System.nanoTime();
    ClusterTagging run = new ClusterTagging("tm-kill", cluster().bootstrapServers(), images);
    run.createTopics(4, null);
    run.produce(150);
    String job = submit(run.submission(2));
    run.awaitResults(40);
    String victim = rest().subtaskLocations(job, "batch-encode-label").get(0);
    cluster().kill(victim);
    String replacement = cluster().startTaskManager();
    System.out.printf("cluster tm-kill: SIGKILL %s, started %s%n", victim, replacement);
    run.produce(150);
    run.awaitResults(300);
    long restarts = rest().restarts(job);
    int failures = rest().failures(job);
    rest().cancel(job);
    System.out.printf("cluster tm-kill: %d failures in the job's exception history%n", failures);
    run.assertExactlyOnce("TaskManager SIGKILL", restarts, start);
    assertTrue(failures >= 1, "the job failed over after the kill");
    rest().awaitState(job, PATIENCE, "CANCELED");
    cluster().awaitTaskManager(replacement);
  }

  @Test
  @Order(3)
  void keepsEachResultOnceWhenTheLeadingBrokerIsKilled() throws Exception {
    long start = System.nanoTime();
    int leader = 2;
    ClusterTagging run = new ClusterTagging("broker-kill", cluster().bootstrapServers(), images);
    run.createTopics(4, leader);
    assertEquals(Set.of(leader), Set.copyOf(run.leaders(run.topics.input()).values()));
    assertEquals(Set.of(leader), Set.copyOf(run.leaders(run.topics.results()).values()));
    run.produce(150);
    String job = submit(run.submission(2));
    run.awaitResults(40);
    cluster().kill(KafkaProcesses.nodeName(leader));
    System.out.printf(
        "cluster broker-kill: SIGKILL node %d, leader of input and results%n", leader);
    run.produce(150);
    run.awaitResults(300);
    long restarts = rest().restarts(job);
    System.out.printf(
        "cluster broker-kill: leaders now %s, %d failures in the job's exception history%n",
        run.leaders(run.topics.input()), rest().failures(job));
    rest().cancel(job);
    run.assertExactlyOnce("leading broker SIGKILL", restarts, start);
    rest().awaitState(job, PATIENCE, "CANCELED");
    cluster().restartBroker(leader);
    cluster().awaitBrokers(3);
  }

  @Test
  @Order(4)
  void resumesFromSavepointsAtParallelismThreeAndOneAndAfterAnUpgrade() throws Exception {
    long start = System.nanoTime();
    ClusterTagging run = new ClusterTagging("savepoints", cluster().bootstrapServers(), images);
    run.createTopics(4, null);
    Path savepoints = cluster().layout().savepointDir();
    JobSubmission first = run.submission(2);
    long restarts = 0;

    run.produce(60);
    String job = submit(first);
    run.awaitResults(60);
    restarts += rest().restarts(job);
    String savepoint = rest().stopWithSavepoint(job, savepoints, PATIENCE);
    System.out.println("cluster savepoints: p2 stopped at " + savepoint);

    run.produce(60);
    job = submit(first.resumedFrom(savepoint, 3));
    run.awaitResults(120);
    restarts += rest().restarts(job);
    savepoint = rest().stopWithSavepoint(job, savepoints, PATIENCE);
    System.out.println("cluster savepoints: p3 stopped at " + savepoint);

    run.produce(60);
    job = submit(first.resumedFrom(savepoint, 1));
    run.awaitResults(180);
    restarts += rest().restarts(job);
    savepoint = rest().stopWithSavepoint(job, savepoints, PATIENCE);
    System.out.println("cluster savepoints: p1 stopped at " + savepoint);

    // The upgrade: the same uids, another operator setting (one label per result, not three).
    run.produce(60);
    JobSubmission upgraded =
        run.submission(2, "--labels.top-k", "1", "--batch.max-size", "4").resumedFrom(savepoint, 2);
    job = submit(upgraded);
    run.awaitResults(240);
    restarts += rest().restarts(job);
    rest().cancel(job);
    ClusterTagging.Counts counts =
        run.assertExactlyOnce("savepoint p2 -> p3 -> p1 -> upgrade", restarts, start);
    rest().awaitState(job, PATIENCE, "CANCELED");
    long upgradedResults =
        counts.resultRecords().stream().filter(r -> ClusterTagging.labelCount(r) == 1).count();
    long earlier =
        counts.resultRecords().stream().filter(r -> ClusterTagging.labelCount(r) == 3).count();
    System.out.printf(
        "cluster savepoints: %d results with 3 labels before the upgrade, %d with 1 after%n",
        earlier, upgradedResults);
    assertEquals(180, earlier, "the first three runs' results");
    assertEquals(60, upgradedResults, "the upgraded job made the last 60");
    assertEquals(0, restarts, "no restarts");
  }

  /**
   * A restore to an older point: a savepoint taken while the job runs, three and more checkpoints
   * after it, then the job cancelled and started from that savepoint. The restored job reads again
   * what came after the savepoint, so those inputs are in the output twice (once from each run) and
   * every other input once; the restore itself must not fail (the sink's transactions of the
   * savepoint were long committed and their transactional ids reused since).
   */
  @Test
  @Order(5)
  void restoresFromASavepointTakenThreeCheckpointsBeforeTheLast() throws Exception {
    long start = System.nanoTime();
    ClusterTagging run = new ClusterTagging("old-savepoint", cluster().bootstrapServers(), images);
    run.createTopics(4, null);
    JobSubmission submission = run.submission(2);

    List<String> before = run.produce(60);
    String job = submit(submission);
    run.awaitResults(60);
    String savepoint = rest().savepoint(job, cluster().layout().savepointDir(), PATIENCE);
    long atSavepoint = rest().completedCheckpoints(job);
    List<String> replayed = run.produce(60);
    run.awaitResults(120);
    rest().awaitCompletedCheckpoints(job, atSavepoint + 3, PATIENCE);
    long checkpointsAfter = rest().completedCheckpoints(job) - atSavepoint;
    rest().cancel(job);
    rest().awaitState(job, PATIENCE, "CANCELED");

    String resumed = submit(submission.resumedFrom(savepoint, 2));
    List<String> after = run.produce(60);
    run.awaitResults(240);
    long restarts = rest().restarts(resumed);
    int failures = rest().failures(resumed);
    rest().cancel(resumed);

    Map<String, Integer> seen = run.occurrences(240, 12);
    int deadLetters = 0;
    for (Map.Entry<String, Integer> e : seen.entrySet()) {
      deadLetters += e.getKey().contains("/") ? e.getValue() : 0; // keyed by source position
    }
    int total = seen.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "cluster old-savepoint: savepoint %s, %d checkpoints after it; inputs %d, committed"
            + " results %d + dead letters %d; restored job: %d restarts, %d failures, %.1f s%n",
        savepoint,
        checkpointsAfter,
        run.inputs(),
        total - deadLetters,
        deadLetters,
        restarts,
        failures,
        (System.nanoTime() - start) / 1e9);
    assertTrue(checkpointsAfter >= 3, "the savepoint is 3+ checkpoints before the last");
    assertEquals(0, failures, "the restore from the older savepoint did not fail");
    before.forEach(id -> assertEquals(1, seen.get(id), id + ", read before the savepoint"));
    replayed.forEach(id -> assertEquals(2, seen.get(id), id + ", read again after the restore"));
    after.forEach(id -> assertEquals(1, seen.get(id), id + ", read after the restore"));
    Map<Integer, Long> deadLetterCopies =
        seen.entrySet().stream()
            .filter(e -> e.getKey().contains("/"))
            .collect(
                java.util.stream.Collectors.groupingBy(
                    Map.Entry::getValue, java.util.stream.Collectors.counting()));
    assertEquals(
        Map.of(1, 6L, 2, 3L), deadLetterCopies, "bad inputs: 6 once, the 3 replayed twice");
    assertEquals(
        before.size() + 2 * replayed.size() + after.size() + 12,
        total,
        "nothing else in the output");
  }
}
