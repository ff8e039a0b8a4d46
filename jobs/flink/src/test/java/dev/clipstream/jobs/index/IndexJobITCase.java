package dev.clipstream.jobs.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagging job's real results indexed by the index job on the embedded broker and a MiniCluster:
 * exactly once across a TaskManager's death, and searches that agree with exact search over the
 * same embeddings.
 */
class IndexJobITCase {
  static final int EVENTS = 300;
  static final int FIRST = 150;

  static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(REPORTER);

  @TempDir static Path cache;

  static EmbeddedKafka kafka;
  static DemoImages images;

  /** The tagging job's committed output: values as they are on the topic, and decoded. */
  static List<byte[]> tagged = new ArrayList<>();

  static List<TagResult> results = new ArrayList<>();

  @BeforeAll
  static void tagImages() throws Exception {
    images =
        new DemoImages(
            FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
                .head(EVENTS));
    kafka = EmbeddedKafka.start();
    Pipelines.createTopics(kafka, Pipelines.TOPICS);
    KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
    client.produce("images", null, TaggingRuns.imageEvents(images, 0, EVENTS));
    TaggingRuns.runBounded(KafkaOptions.of(kafka.bootstrapServers()), Pipelines.TOPICS, "tag");
    SingleObjectCodec<TagResult> codec = SingleObjectCodec.of(TagResult.class);
    for (ConsumerRecord<byte[], byte[]> r :
        client.readCommitted("tags", EVENTS, Duration.ofSeconds(60))) {
      tagged.add(r.value());
      results.add(codec.decode(r.value()).value());
    }
    assertEquals(EVENTS, results.size(), "the tagging job tagged every image");
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @Test
  void holdsEachCommittedResultOnceAfterATaskManagerDies(
      @InjectMiniCluster MiniCluster cluster, @TempDir Path index) throws Exception {
    kafka.createTopics(
        List.of(new org.apache.kafka.clients.admin.NewTopic("to-index", 2, (short) 1)));
    KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
    client.produce("to-index", null, tagged.subList(0, FIRST));
    StreamExecutionEnvironment env = Pipelines.environment(200);
    IndexJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        "to-index",
        "index-failure",
        false,
        IndexOptions.Settings.of(index.toString()));
    JobClient job = env.executeAsync("index-failure");
    try {
      awaitDocuments(index, FIRST / 3);
      cluster.terminateTaskManager(0).get();
      cluster.startTaskManager();
      client.produce("to-index", null, tagged.subList(FIRST, EVENTS));
      awaitDocuments(index, EVENTS);
      // A few more checkpoints: a duplicate would show now.
      long done = completedCheckpoints(cluster, job.getJobID());
      while (completedCheckpoints(cluster, job.getJobID()) < done + 3) {
        Thread.sleep(100);
      }
      IndexStats stats = stats(index);
      Set<String> expected = new HashSet<>();
      results.forEach(r -> expected.add(r.getEventId().toString()));
      assertEquals(EVENTS, stats.documents(), "one document per committed result");
      assertEquals(EVENTS, stats.events(), "and each event once");
      try (IndexSearch search = IndexSearch.open(index)) {
        assertEquals(expected, search.eventIds());
      }
      assertEquals(
          Map.of(DefaultModel.version(), EVENTS), stats.perModelVersion(), "all of one version");
      assertTrue(Pipelines.restarts(REPORTER, job.getJobID()) >= 1, "the job did restart");
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void findsWhatExactSearchFinds(@TempDir Path index) throws Exception {
    StreamExecutionEnvironment env = Pipelines.environment(200);
    IndexJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        "tags",
        "index-search",
        true,
        IndexOptions.Settings.of(index.toString()));
    JobID job = env.execute("index-search").getJobID();
    assertTrue(job != null);
    Map<String, TagResult> byId = new HashMap<>();
    results.forEach(r -> byId.put(r.getEventId().toString(), r));
    String version = DefaultModel.version();
    try (IndexSearch search = IndexSearch.open(index)) {
      assertEquals(EVENTS, search.stats().documents());

      double recall = 0;
      for (TagResult query : results) {
        float[] q = IndexDocuments.unboxed(query.getImageEmbedding());
        List<IndexHit> hits = search.search(IndexQuery.nearest(q, version, 10));
        List<String> exact = exactNearest(q, 10);
        recall += overlap(hits, exact) / 10.0;
        for (IndexHit h : hits) {
          float cosine = dot(q, IndexDocuments.unboxed(byId.get(h.eventId()).getImageEmbedding()));
          assertEquals(cosine, h.cosine(), 1e-4, "the hit's score is its cosine");
        }
      }
      recall /= results.size();
      System.out.printf(
          Locale.ROOT, "image-to-image recall@10 over %d queries: %.4f%n", EVENTS, recall);
      assertTrue(recall >= 0.95, "recall@10 " + recall + " is at least 0.95");

      try (ClipModel model = DefaultModel.load();
          NDManager manager = model.newBatchManager()) {
        ClipTextEmbedder texts = new ClipTextEmbedder(model, ClipTokenizer.load());
        double precision = 0;
        for (String name : FashionMnist.CLASSES) {
          String text = "a photo of a " + name.toLowerCase(Locale.ROOT) + ".";
          float[] q = texts.embed(manager, List.of(text)).toFloatArray();
          List<IndexHit> hits = search.search(IndexQuery.nearest(q, version, 10));
          assertEquals(10, overlap(hits, exactNearest(q, 10)), "text query '" + text + "'");
          int right = 0;
          for (IndexHit h : hits) {
            int n = Integer.parseInt(h.eventId().substring("demo-".length()));
            right += images.label(n).orElseThrow().equals(name) ? 1 : 0;
          }
          System.out.printf(Locale.ROOT, "precision@10 '%s': %.1f%n", text, right / 10.0);
          precision += right / 10.0;
        }
        precision /= FashionMnist.CLASSES.size();
        System.out.printf(Locale.ROOT, "mean text-to-image precision@10: %.3f%n", precision);
        assertTrue(precision >= 0.6, "text queries find mostly their class: " + precision);
      }

      String label = FashionMnist.CLASSES.get(7);
      float[] q = IndexDocuments.unboxed(results.get(0).getImageEmbedding());
      long since = results.get(EVENTS / 2).getEventTime().toEpochMilli();
      List<IndexHit> filtered =
          search.search(
              new IndexQuery(q, version, 10, Optional.of(label), Optional.of(since), 100));
      assertTrue(!filtered.isEmpty(), "some " + label + " came after the middle event");
      for (IndexHit h : filtered) {
        assertEquals(label, h.topLabel());
        assertTrue(h.eventTimeMillis() >= since);
      }
    }
  }

  @Test
  void keepsTheVectorsOfEachModelVersionApartAfterAReEmbed(
      @TempDir Path index, @TempDir Path weights) throws Exception {
    // The re-embed: the tagging job replays the input topic with newer weights (its own group)
    // into the results topic that already holds the first model's results.
    Path newer = weights.resolve(DefaultModel.WITHOUT_BAG_ANKLE_BOOT);
    DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, newer);
    kafka.createTopics(
        List.of(new org.apache.kafka.clients.admin.NewTopic("tags-reembed", 2, (short) 1)));
    KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
    client.produce("tags-reembed", null, tagged);
    var defaults = TaggingRuns.settings();
    StreamExecutionEnvironment tagging = Pipelines.environment(500);
    dev.clipstream.jobs.tagging.TaggingJob.onKafka(
        tagging,
        KafkaOptions.of(kafka.bootstrapServers()),
        new dev.clipstream.jobs.tagging.TaggingTopics(
            "images", "tags-reembed", "dead", "label-sets", "model-updates"),
        "reembed",
        true,
        new dev.clipstream.jobs.tagging.TaggingSettings(
            newer.toString(),
            defaults.imageSize(),
            defaults.batching(),
            defaults.labelSet(),
            defaults.topK(),
            ""));
    tagging.execute("reembed");

    StreamExecutionEnvironment env = Pipelines.environment(200);
    IndexJob.onKafka(
        env,
        KafkaOptions.of(kafka.bootstrapServers()),
        "tags-reembed",
        "index-reembed",
        true,
        IndexOptions.Settings.of(index.toString()));
    env.execute("index-reembed");

    String older = DefaultModel.version();
    String newerVersion = newer.getFileName().toString();
    try (IndexSearch search = IndexSearch.open(index)) {
      IndexStats stats = search.stats();
      assertEquals(Map.of(older, EVENTS, newerVersion, EVENTS), stats.perModelVersion());
      assertEquals(2 * EVENTS, stats.documents());
      assertEquals(EVENTS, stats.events());
      try (ClipModel model = ClipModel.load(newer, dev.clipstream.model.LoadOptions.defaults());
          NDManager manager = model.newBatchManager()) {
        float[] q =
            new ClipTextEmbedder(model, ClipTokenizer.load())
                .embed(manager, List.of("a photo of a sneaker."))
                .toFloatArray();
        List<IndexHit> hits = search.search(IndexQuery.nearest(q, newerVersion, 10));
        assertEquals(10, hits.size());
        for (IndexHit h : hits) {
          assertEquals(newerVersion, h.modelVersion(), "only the newer model's vectors");
        }
      }
      IndexError unknown =
          org.junit.jupiter.api.Assertions.assertThrows(
              IndexError.class,
              () -> search.search(IndexQuery.nearest(new float[] {1f}, "no-such-model", 10)));
      assertTrue(unknown.getMessage().contains(newerVersion), unknown.getMessage());
    }
  }

  private static List<String> exactNearest(float[] q, int k) {
    List<TagResult> sorted = new ArrayList<>(results);
    sorted.sort(
        (a, b) ->
            Float.compare(
                dot(q, IndexDocuments.unboxed(b.getImageEmbedding())),
                dot(q, IndexDocuments.unboxed(a.getImageEmbedding()))));
    return sorted.subList(0, k).stream().map(r -> r.getEventId().toString()).toList();
  }

  private static int overlap(List<IndexHit> hits, List<String> exact) {
    int n = 0;
    for (IndexHit h : hits) {
      n += exact.contains(h.eventId()) ? 1 : 0;
    }
    return n;
  }

  private static float dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return (float) s;
  }

  private static long completedCheckpoints(MiniCluster cluster, JobID job) throws Exception {
    return Pipelines.checkpointStats(cluster, job).getCounts().getNumberOfCompletedCheckpoints();
  }

  private static IndexStats stats(Path index) throws Exception {
    try (IndexSearch search = IndexSearch.open(index)) {
      return search.stats();
    }
  }

  /** Polls the visible commit until it holds {@code n} documents (no wall-clock bound: CI's). */
  private static void awaitDocuments(Path index, int n) throws Exception {
    while (true) {
      try {
        if (stats(index).documents() >= n) {
          return;
        }
      } catch (IndexError notYet) {
        // No checkpoint has completed yet.
      }
      Thread.sleep(100);
    }
  }
}
