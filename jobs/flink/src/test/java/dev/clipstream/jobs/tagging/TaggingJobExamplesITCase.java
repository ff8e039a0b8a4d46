package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.fewshot.AdaptedLabels;
import dev.clipstream.model.fewshot.ClassPrototypes;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotClassifier;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running tagging job learns two labels from examples published mid-stream, without a restart:
 * the model trained without Bag and Ankle boot, labelling with the other eight class names, is sent
 * 16 examples of each of the two (labels with no prompt, taught by examples alone) and 4 of Sneaker
 * (blended with its prompts); every later image gets the label that the model's own embeddings and
 * {@link AdaptedLabels} give it outside the job, Bag and Ankle boot included. Every input is
 * accounted for once: images as read_committed results, examples as taught or dead letters.
 */
class TaggingJobExamplesITCase {

  static final int BEFORE = 24;
  static final int AFTER = 80;
  static final int SHOTS = 16;
  static final int SNEAKER_SHOTS = 4;
  static final String EXAMPLES = "examples";

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path cache;
  @TempDir Path dir;

  @Test
  void examplesPublishedMidStreamTeachLabelsToLaterEvents() throws Exception {
    LabelledImages all =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache));
    LabelledImages streamed = all.range(0, 400);
    LabelledImages pool = all.range(400, 1400);
    List<String> eight =
        FashionMnist.CLASSES.stream()
            .filter(c -> !c.equals("Bag") && !c.equals("Ankle boot"))
            .toList();
    LabelSet labels = LabelSet.of("fashion-mnist", 1, eight);
    Path weights = dir.resolve("no-bag.safetensors");
    DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, weights);
    List<Integer> examples = new ArrayList<>();
    examples.addAll(firstOf(pool, "Bag", SHOTS));
    examples.addAll(firstOf(pool, "Ankle boot", SHOTS));
    examples.addAll(firstOf(pool, "Sneaker", SNEAKER_SHOTS));
    TaggingTopics topics = Pipelines.TOPICS.withExamples(EXAMPLES);

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, topics);
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      StreamExecutionEnvironment env = Pipelines.environment(300);
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          topics,
          "examples-test",
          false,
          new TaggingSettings(
              weights.toString(),
              28,
              new BatchingOptions(8, Duration.ofMillis(20)),
              labels,
              3,
              ""));
      JobClient job = env.executeAsync("examples-test");
      JobID jobId = job.getJobID();
      try {
        DemoImages images = new DemoImages(streamed);
        client.produce(topics.input(), null, TaggingRuns.imageEvents(images, 0, BEFORE));
        Map<String, TagResult> before = results(client, topics, BEFORE);
        for (TagResult t : before.values()) {
          assertTrue(eight.contains(top(t)), "before any example only the eight: " + top(t));
        }

        publishExamples(client, pool, examples);
        awaitExamplesVersion(jobId, examples.size());
        assertEquals(examples.size(), count(jobId, "examplesTaught"));

        client.produce(
            topics.input(), null, TaggingRuns.imageEvents(images, BEFORE, BEFORE + AFTER));
        Map<String, TagResult> after = results(client, topics, BEFORE + AFTER);
        assertEquals(BEFORE + AFTER, after.size(), "every image tagged once");

        List<String> expected = expectedAfter(weights, labels, pool, examples, streamed);
        int taughtRight = 0;
        int taughtSeen = 0;
        for (int n = BEFORE; n < BEFORE + AFTER; n++) {
          TagResult t = after.get(DemoImages.id(n));
          assertEquals(expected.get(n - BEFORE), top(t), DemoImages.id(n));
          String truth = streamed.className(n);
          if (truth.equals("Bag") || truth.equals("Ankle boot")) {
            taughtSeen++;
            taughtRight += top(t).equals(truth) ? 1 : 0;
          }
        }
        System.out.printf(
            "examples: %d of %d later Bag/Ankle boot images tagged right by examples alone%n",
            taughtRight, taughtSeen);
        assertTrue(taughtSeen > 0, "the later images include bags or ankle boots");
        assertTrue(taughtRight > 0, "a label taught by examples alone is given");

        List<ConsumerRecord<byte[], byte[]>> dead =
            client.readCommitted(topics.deadLetters(), 1, Duration.ofSeconds(60));
        assertEquals(1, dead.size(), "the unlabelled example, and nothing else");
        DeadLetter letter =
            SingleObjectCodec.of(DeadLetter.class).decode(dead.get(0).value()).value();
        assertEquals(FailureStage.VALIDATE, letter.getStage());
        assertEquals(EXAMPLES, letter.getSourceTopic().toString());
        assertTrue(
            letter.getReason().toString().contains("needs a label"), letter.getReason().toString());
        byte[] payload = new byte[letter.getPayload().remaining()];
        letter.getPayload().duplicate().get(payload);
        assertEquals(
            "example-unlabelled",
            SingleObjectCodec.of(ImageEvent.class).decode(payload).value().getEventId().toString(),
            "the dead letter holds the example's whole record");
        assertNull(letter.getOriginalPayloadBytes());
        List<ConsumerRecord<byte[], byte[]>> all2 =
            client.readCommitted(topics.results(), BEFORE + AFTER, Duration.ofSeconds(60));
        TaggingRuns.assertExactlyOnce(all2, BEFORE + AFTER);
        // inputs = results + dead letters + examples taught
        assertEquals(
            BEFORE + AFTER + examples.size() + 1,
            all2.size() + dead.size() + count(jobId, "examplesTaught"));
        assertFalse(
            before.values().stream().anyMatch(t -> t.getLabels().size() != 3), "top 3 kept");
      } finally {
        job.cancel().get();
      }
    }
  }

  /** The first {@code n} images of {@code label} in {@code images}. */
  static List<Integer> firstOf(LabelledImages images, String label, int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < images.count() && out.size() < n; i++) {
      if (images.className(i).equals(label)) {
        out.add(i);
      }
    }
    return out;
  }

  static void publishExamples(KafkaTestClient client, LabelledImages pool, List<Integer> indices)
      throws Exception {
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    for (int i : indices) {
      keys.add(("example-" + i).getBytes(StandardCharsets.UTF_8));
      values.add(
          codec.encode(example("example-" + i, TaggingJobITCase.png(pool, i), pool.className(i))));
    }
    keys.add("example-unlabelled".getBytes(StandardCharsets.UTF_8));
    values.add(codec.encode(example("example-unlabelled", TaggingJobITCase.png(pool, 0), null)));
    client.produce(EXAMPLES, keys, values);
  }

  static ImageEvent example(String id, byte[] png, String label) {
    return ImageEvent.newBuilder()
        .setEventId(id)
        .setEventTime(Instant.now())
        .setSource("labeller")
        .setImage(ByteBuffer.wrap(png))
        .setContentType("image/png")
        .setLabel(label)
        .build();
  }

  /** Waits until every encoder subtask holds the prototypes of all {@code count} examples. */
  static void awaitExamplesVersion(JobID job, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      int subtasks = 0;
      int current = 0;
      for (Metric m : metrics(job, "examplesVersion")) {
        if (m instanceof Gauge<?> g) {
          subtasks++;
          current += ((Number) g.getValue()).longValue() == count ? 1 : 0;
        }
      }
      if (subtasks == 2 && current == 2) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the encoders did not get the prototypes of " + count + " examples");
  }

  /**
   * The metrics called {@code name} of {@code job}, by group: a task and its one operator share an
   * identifier (teach-by-examples runs alone in its task), so identifiers do not tell them apart.
   */
  static List<Metric> metrics(JobID job, String name) {
    List<Metric> out = new ArrayList<>();
    for (var e : METRICS.getMetricsByGroup().entrySet()) {
      if (job.toString().equals(e.getKey().getAllVariables().get("<job_id>"))
          && e.getValue().containsKey(name)) {
        out.add(e.getValue().get(name));
      }
    }
    return out;
  }

  static long count(JobID job, String name) {
    long sum = 0;
    for (Metric m : metrics(job, name)) {
      sum += ((Counter) m).getCount();
    }
    return sum;
  }

  /**
   * The top label of each later image as the model computes it directly: example embeddings summed
   * into prototypes, blended with the eight labels' text weights (prior 4), outside Flink.
   */
  static List<String> expectedAfter(
      Path weights,
      LabelSet labels,
      LabelledImages pool,
      List<Integer> examples,
      LabelledImages streamed)
      throws Exception {
    ImagePreprocessor pre = new ImagePreprocessor(PreprocessOptions.defaults(28));
    try (ClipModel model = ClipModel.load(weights, LoadOptions.defaults());
        NDManager m = model.newBatchManager();
        ZeroShotClassifier classifier =
            new ZeroShotClassifier(new ClipTextEmbedder(model, ClipTokenizer.load()), m)) {
      ClassPrototypes prototypes = new ClassPrototypes(model.config().embedDim());
      for (int i : examples) {
        prototypes.addBounded(
            pool.className(i),
            embed(model, m, pre, pool, i),
            ExampleOptions.defaults().maxPerLabel());
      }
      float[] matrix = classifier.labelMatrix(labels, "direct").toFloatArray();
      int k = labels.labels().size();
      int d = matrix.length / k;
      float[][] text = new float[k][d];
      for (int j = 0; j < k; j++) {
        for (int i = 0; i < d; i++) {
          text[j][i] = matrix[i * k + j];
        }
      }
      AdaptedLabels adapted =
          AdaptedLabels.blend(
              labels.names(), text, prototypes, ExampleOptions.defaults().priorShots());
      List<String> out = new ArrayList<>();
      for (int n = BEFORE; n < BEFORE + AFTER; n++) {
        out.add(
            adapted.top(embed(model, m, pre, streamed, n), model.logitScale(), 1).get(0).label());
      }
      return out;
    }
  }

  static float[] embed(
      ClipModel model, NDManager m, ImagePreprocessor pre, LabelledImages images, int i) {
    NDArray f =
        model.encodeImage(m.create(pre.preprocess(images.pixels(i)), new Shape(1, 3, 28, 28)));
    return f.div(f.norm()).toFloatArray();
  }

  static Map<String, TagResult> results(KafkaTestClient client, TaggingTopics topics, int count) {
    SingleObjectCodec<TagResult> codec = SingleObjectCodec.of(TagResult.class);
    Map<String, TagResult> byId = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        client.readCommitted(topics.results(), count, Duration.ofSeconds(120))) {
      TagResult t = codec.decode(r.value()).value();
      byId.put(t.getEventId().toString(), t);
    }
    assertEquals(count, byId.size());
    return byId;
  }

  static String top(TagResult t) {
    return t.getLabels().get(0).getLabel().toString();
  }
}
