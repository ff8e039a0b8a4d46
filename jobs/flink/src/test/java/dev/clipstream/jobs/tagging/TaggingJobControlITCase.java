package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.control.ControlKeys;
import dev.clipstream.jobs.control.ControlLimits;
import dev.clipstream.jobs.control.ControlPolicy;
import dev.clipstream.jobs.control.ControlSigner;
import dev.clipstream.jobs.control.LabelSetDefinitions;
import dev.clipstream.jobs.control.ModelStore;
import dev.clipstream.jobs.control.TrustedKeys;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.ModelLabels;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running tagging job takes a new label set and a new model from its control topics without a
 * restart, refuses a corrupted or out-of-store model while it keeps serving, and dead-letters a
 * malformed, unsigned, forged, replayed or over-limit control record while the old label set and
 * model keep serving; every result is what the version it names computes (checked against the
 * model's own zero-shot classifier, outside the job's operators).
 */
class TaggingJobControlITCase {

  static final int WAVE = 12;

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  /** The label limit of this test's job, so that an over-limit set is small. */
  static final int MAX_LABELS = 100;

  final KeyPair keys = ControlKeys.generate();
  final ControlSigner signer = ControlSigner.of(keys.getPrivate(), keys.getPublic());

  @TempDir Path cache;
  @TempDir Path store;

  final SingleObjectCodec<ImageEvent> events = SingleObjectCodec.of(ImageEvent.class);
  final SingleObjectCodec<TagResult> tags = SingleObjectCodec.of(TagResult.class);
  LabelledImages images;
  KafkaTestClient client;
  long produced;
  final List<TagResult> results = new ArrayList<>();

  @Test
  void labelSetsAndModelsChangeMidStreamWithoutARestart() throws Exception {
    images =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(200);
    LabelSet first = LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES);
    LabelSet second =
        LabelSet.of("fashion-mnist", 2, List.of("shoe", "bag", "top", "trousers", "dress"));
    String defaultVersion = DefaultModel.version();

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      client = new KafkaTestClient(kafka.bootstrapServers());
      StreamExecutionEnvironment env = Pipelines.environment(300);
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          Pipelines.TOPICS,
          "control-test",
          false,
          new TaggingSettings(
                  "", 28, new BatchingOptions(8, Duration.ofMillis(20)), first, 3, store.toString())
              .withControl(
                  new ControlPolicy(
                      true,
                      new TrustedKeys(List.of(keys.getPublic().getEncoded())),
                      new ControlLimits(1 << 20, MAX_LABELS, 64, 100))));
      JobClient job = env.executeAsync("control-test");
      JobID jobId = job.getJobID();
      try {
        // 1. The configured label set and model.
        List<TagResult> wave = wave();
        assertAllMadeBy(wave, defaultVersion, first);

        // 2. A new version of the label set, published on the compacted topic.
        LabelSetDefinition signedSecond = signer.sign(LabelSetDefinitions.of(second));
        publishLabelSet(signedSecond);
        awaitResult(t -> t.getLabelSetVersion() == 2);
        wave = wave();
        assertAllMadeBy(wave, defaultVersion, second);
        assertLabelsAreWhatTheModelComputes(wave, DefaultModel.load(), second);

        // 2b. Refused label sets: unsigned, forged, replayed, over the label limit.
        LabelSet third = LabelSet.of("fashion-mnist", 3, List.of("wolf", "moon"));
        publishLabelSet(LabelSetDefinitions.of(third));
        LabelSetDefinition forged = signer.sign(LabelSetDefinitions.of(third));
        forged.getLabels().get(0).setName("sheep");
        publishLabelSet(forged);
        publishLabelSet(signedSecond);
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= MAX_LABELS; i++) {
          many.add("thing " + i);
        }
        publishLabelSet(signer.sign(LabelSetDefinitions.of(LabelSet.of("fashion-mnist", 3, many))));
        awaitMetric(jobId, "controlRejected", 4);
        wave = wave();
        assertAllMadeBy(wave, defaultVersion, second);

        // 3. Refused updates: a flipped byte, and a file outside the store. The job keeps serving.
        Path good = store.resolve("step-100.safetensors");
        DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, good);
        String sha = ModelStore.sha256Of(good);
        Path corrupt = store.resolve("corrupt.safetensors");
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(corrupt, bytes);
        Path outside = cache.resolve("outside.safetensors");
        Files.copy(good, outside);
        // (Updates that arrive together coalesce: only the newest is tried. One at a time here,
        // each tried once by each of the two subtasks.)
        publishModel(signer.sign(update("flipped", corrupt.getFileName().toString(), sha)));
        awaitMetric(jobId, "modelUpdatesRejected", 2);
        publishModel(signer.sign(update("escaped", "../" + outside.getFileName(), sha)));
        awaitMetric(jobId, "modelUpdatesRejected", 4);
        publishModel(signer.sign(update("outside", outside.toString(), sha)));
        awaitMetric(jobId, "modelUpdatesRejected", 6);
        wave = wave();
        assertAllMadeBy(wave, defaultVersion, second);

        // 4. A good update: the model trained without bags and ankle boots.
        ModelUpdate signedGood =
            signer.sign(update("no-bag-ankle-boot", good.getFileName().toString(), sha));
        publishModel(signedGood);
        awaitResult(t -> t.getModelVersion().toString().equals("no-bag-ankle-boot"));
        wave = wave();
        assertAllMadeBy(wave, "no-bag-ankle-boot", second);
        assertLabelsAreWhatTheModelComputes(
            wave, ClipModel.load(good, LoadOptions.defaults()), second);

        // 4b. Refused model updates: unsigned, forged (signed, then pointed elsewhere), replayed.
        // The default model's weights in the store, so only the signature check stands between.
        Path other = store.resolve("default.safetensors");
        DefaultModel.copyTo(DefaultModel.WEIGHTS, other);
        String otherSha = ModelStore.sha256Of(other);
        publishModel(update("unsigned", other.getFileName().toString(), otherSha));
        ModelUpdate forgedUpdate =
            signer.sign(update("forged", good.getFileName().toString(), sha));
        forgedUpdate.setCheckpointUri(other.getFileName().toString());
        forgedUpdate.setWeightsSha256(otherSha);
        publishModel(forgedUpdate);
        publishModel(signedGood);
        awaitMetric(jobId, "controlRejected", 7);
        // Same weights under a new name: decided by content, logged and counted, not reloaded.
        publishModel(signer.sign(update("renamed", good.getFileName().toString(), sha)));
        awaitMetric(jobId, "modelUpdatesUnchanged", 2);
        wave = wave();
        assertAllMadeBy(wave, "no-bag-ankle-boot", second);

        // 5. A control record that is not one goes to the dead letters; nothing else does.
        client.produce(
            Pipelines.TOPICS.labelSets(),
            List.of("broken".getBytes(StandardCharsets.UTF_8)),
            List.of("not avro".getBytes(StandardCharsets.UTF_8)));
        List<ConsumerRecord<byte[], byte[]>> dead =
            client.readCommitted(Pipelines.TOPICS.deadLetters(), 8, Duration.ofSeconds(60));
        assertEquals(8, dead.size(), "seven refused control messages and a malformed one");
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
          DeadLetter letter = SingleObjectCodec.of(DeadLetter.class).decode(r.value()).value();
          FailureStage expectedStage =
              letter.getSourceTopic().toString().equals(Pipelines.TOPICS.labelSets())
                  ? FailureStage.LABEL_SET
                  : FailureStage.MODEL_UPDATE;
          assertEquals(expectedStage, letter.getStage(), letter.getReason().toString());
          reasons.add(letter.getStage() + ": " + letter.getReason());
        }
        for (String expected :
            List.of(
                "LABEL_SET: label set 'fashion-mnist' v3 is not signed",
                "LABEL_SET: label set 'fashion-mnist' v3 has a signature by key",
                "LABEL_SET: label set 'fashion-mnist' v2 is not newer than v2",
                "LABEL_SET: label set 'fashion-mnist' has 101 labels, over the limit of 100",
                "MODEL_UPDATE: model update unsigned is not signed",
                "MODEL_UPDATE: model update forged has a signature by key",
                "MODEL_UPDATE: model update no-bag-ankle-boot was created at",
                "LABEL_SET: TOO_SHORT")) {
          assertTrue(
              reasons.stream().anyMatch(r -> r.startsWith(expected)),
              expected + " not among " + reasons);
        }
        assertEquals(2, Pipelines.total(METRICS, jobId, "controlRefusedUnsigned"));
        assertEquals(2, Pipelines.total(METRICS, jobId, "controlRefusedForged"));
        assertEquals(2, Pipelines.total(METRICS, jobId, "controlRefusedReplayed"));
        assertEquals(1, Pipelines.total(METRICS, jobId, "controlRefusedOverLimit"));

        List<ConsumerRecord<byte[], byte[]>> all =
            client.readCommitted(
                Pipelines.TOPICS.results(), (int) produced, Duration.ofSeconds(60));
        assertEquals(produced, all.size(), "every image tagged exactly once across the changes");
        // Each subtask applies a change at its next batch: at least one had images to label.
        assertTrue(Pipelines.total(METRICS, jobId, "labelSetUpdatesApplied") >= 1);
        assertTrue(Pipelines.total(METRICS, jobId, "modelUpdatesApplied") >= 1);
      } finally {
        job.cancel().get();
      }
    }
  }

  /** Sends {@link #WAVE} images and returns their results. */
  List<TagResult> wave() throws Exception {
    long from = produced;
    send(WAVE);
    awaitResults(produced);
    return results.subList((int) from, (int) produced).stream().toList();
  }

  void send(int n) throws Exception {
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(events.encode(new DemoImages(images).event(produced++)));
    }
    client.produce(Pipelines.TOPICS.input(), null, values);
  }

  /** Reads results until {@code count} have arrived (in production order, by event id). */
  void awaitResults(long count) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> read =
        client.readCommitted(Pipelines.TOPICS.results(), (int) count, Duration.ofSeconds(90));
    Map<String, TagResult> byId = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : read) {
      TagResult t = tags.decode(r.value()).value();
      byId.put(t.getEventId().toString(), t);
    }
    results.clear();
    for (long n = 0; n < count; n++) {
      results.add(byId.get(DemoImages.id(n)));
    }
  }

  /** Sends one image at a time until a result matches: a control change has reached the job. */
  void awaitResult(Predicate<TagResult> changed) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      send(1);
      awaitResults(produced);
      if (changed.test(results.get(results.size() - 1))) {
        Thread.sleep(1_000); // the broadcast reaches the other subtask by now
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the change did not reach the job in 90 s");
  }

  void awaitMetric(JobID job, String name, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (Pipelines.total(METRICS, job, name) < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " stayed below " + atLeast);
      }
      send1Quietly();
      Thread.sleep(300);
    }
  }

  /** Updates apply at a batch's start, so a trickle of images lets them be tried. */
  void send1Quietly() {
    try {
      send(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  void publishLabelSet(LabelSetDefinition definition) throws Exception {
    client.produce(
        Pipelines.TOPICS.labelSets(),
        List.of(definition.getName().toString().getBytes(StandardCharsets.UTF_8)),
        List.of(SingleObjectCodec.of(LabelSetDefinition.class).encode(definition)));
  }

  void publishModel(ModelUpdate update) throws Exception {
    client.produce(
        Pipelines.TOPICS.modelUpdates(),
        List.of("tagging".getBytes(StandardCharsets.UTF_8)),
        List.of(SingleObjectCodec.of(ModelUpdate.class).encode(update)));
  }

  static ModelUpdate update(String version, String location, String sha) {
    return ModelUpdate.newBuilder()
        .setModelVersion(version)
        .setTrainingStep(100)
        .setCheckpointUri(location)
        .setWeightsSha256(sha)
        .setCreatedTime(Instant.now())
        .build();
  }

  static void assertAllMadeBy(List<TagResult> wave, String model, LabelSet labels) {
    assertEquals(WAVE, wave.size());
    for (TagResult t : wave) {
      assertEquals(model, t.getModelVersion().toString(), t.getEventId().toString());
      assertEquals(labels.version(), t.getLabelSetVersion(), t.getEventId().toString());
      assertEquals(labels.name(), t.getLabelSet().toString());
      assertTrue(
          labels.names().contains(t.getLabels().get(0).getLabel().toString()),
          t.getLabels().toString());
    }
  }

  /** Each result's top label is the one {@code model} gives the image directly, outside Flink. */
  void assertLabelsAreWhatTheModelComputes(List<TagResult> wave, ClipModel model, LabelSet labels) {
    try (model) {
      ModelLabels.assertTopLabelsAreTheModels(wave, images, model, labels);
    }
  }
}
