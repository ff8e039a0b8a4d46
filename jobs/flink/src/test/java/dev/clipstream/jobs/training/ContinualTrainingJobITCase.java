package dev.clipstream.jobs.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.control.ControlKeys;
import dev.clipstream.jobs.control.ControlPolicy;
import dev.clipstream.jobs.control.TrustedKeys;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.tagging.BatchingOptions;
import dev.clipstream.jobs.tagging.TaggingJob;
import dev.clipstream.jobs.tagging.TaggingSettings;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.zeroshot.EvaluationReport;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotEvaluation;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continual-training job on a real broker and MiniCluster: it teaches the model trained without
 * bags and ankle boots those two from captioned events while the tagging job serves, and the
 * tagging job takes the published weights without a restart; a TaskManager lost mid-training costs
 * nothing (same steps, same weights); a gate that cannot be passed publishes nothing.
 */
class ContinualTrainingJobITCase {

  static final List<String> NEW = List.of("Bag", "Ankle boot");

  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster(METRICS);

  @TempDir Path dir;

  static final SingleObjectCodec<ImageEvent> EVENTS = SingleObjectCodec.of(ImageEvent.class);

  /**
   * The bundled Fashion-MNIST test split (10,000 images, shipped in the jar) cut in two disjoint
   * halves: the first 5,000 are streamed as training events, the last 5,000 only evaluate. The
   * default model was trained on the separate 60,000-image training split, so neither half was seen
   * before.
   */
  LabelledImages bundled() throws Exception {
    return FashionMnist.load(
        FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), dir.resolve("cache")));
  }

  static final int HALF = 5000;

  /** Captioned events of the restore test. */
  static final int RESTORE_EVENTS = 1200;

  LabelledImages train() throws Exception {
    return bundled().range(0, HALF);
  }

  /** 1,000 images of the evaluation half. */
  LabelledImages test() throws Exception {
    return bundled().range(HALF, HALF + 1000);
  }

  /** Captioned events of {@code n} images from {@code from} on, as a producer would send them. */
  static List<byte[]> captioned(LabelledImages images, int from, int n) throws Exception {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(images.toBufferedImage(i), "png", png);
      out.add(
          EVENTS.encode(
              ImageEvent.newBuilder()
                  .setEventId("train-" + i)
                  .setEventTime(Instant.now())
                  .setSource("test")
                  .setImage(ByteBuffer.wrap(png.toByteArray()))
                  .setContentType("image/png")
                  .setCaption("a photo of a " + images.className(i).toLowerCase(Locale.ROOT) + ".")
                  .build()));
    }
    return out;
  }

  static TrainingOptions.Settings settings(Path weights, Path store, double tolerance) {
    return settings(weights, store, tolerance, null);
  }

  static TrainingOptions.Settings settings(
      Path weights, Path store, double tolerance, Path guardFolder) {
    Configuration config = new Configuration();
    if (guardFolder != null) {
      config.set(TrainingOptions.GUARD_FOLDER, guardFolder.toString());
    }
    config.set(TrainingOptions.PUBLISH_EVERY, 20);
    config.set(TrainingOptions.GUARD_TOLERANCE, tolerance);
    return TrainingOptions.settings(config, weights.toString(), store.toString());
  }

  @Test
  void learnsTheNewLabelsFromCaptionsAndTheTaggingJobServesThemWithoutARestart() throws Exception {
    Path start = dir.resolve("start.safetensors");
    DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, start);
    Path store = Files.createDirectories(dir.resolve("store"));
    LabelSet labels = LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES);
    // The trainer signs with the private key; the tagging job trusts only its public half.
    Path signingKey = dir.resolve("control.key");
    Path trustedKey = dir.resolve("control.pub");
    ControlKeys.write(ControlKeys.generate(), signingKey, trustedKey);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(Pipelines.TOPICS.definitions(1, (short) 1));
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      KafkaOptions options = KafkaOptions.of(kafka.bootstrapServers());
      client.produce(Pipelines.TOPICS.input(), null, captioned(train(), 0, 2400));

      StreamExecutionEnvironment serving = Pipelines.environment(500);
      serving.setParallelism(1);
      TaggingJob.onKafka(
          serving,
          options,
          Pipelines.TOPICS,
          "serving",
          false,
          new TaggingSettings(
                  start.toString(),
                  28,
                  new BatchingOptions(32, Duration.ofMillis(20)),
                  labels,
                  1,
                  store.toString())
              .withControl(
                  ControlPolicy.trusting(
                      new TrustedKeys(ControlKeys.readPublic(List.of(trustedKey))))));
      JobClient tagging = serving.executeAsync("tagging");
      try {
        StreamExecutionEnvironment training =
            Pipelines.environment(1000, dir.resolve("checkpoints"));
        training.setParallelism(1);
        ContinualTrainingJob.onKafka(
            training,
            options,
            Pipelines.TOPICS.input(),
            Pipelines.TOPICS.modelUpdates(),
            "training",
            true,
            28,
            settings(start, store, 0.02),
            signingKey.toString());
        JobID trainingJob = training.execute("training").getJobID();
        assertEquals(0, Pipelines.restarts(METRICS, trainingJob), "no restarts");

        List<ConsumerRecord<byte[], byte[]>> published =
            client.readCommitted(Pipelines.TOPICS.modelUpdates(), 1, Duration.ofSeconds(30));
        assertFalse(published.isEmpty(), "the gate let at least one candidate through");
        ModelUpdate last =
            SingleObjectCodec.of(ModelUpdate.class)
                .decode(published.get(published.size() - 1).value())
                .value();
        assertEquals(
            published.size(), Pipelines.total(METRICS, trainingJob, "gatePassed"), "counted");
        assertEquals(
            ControlKeys.keyId(ControlKeys.readPublic(trustedKey)),
            last.getSignature().getKeyId().toString(),
            "signed with the trainer's key");

        // The published weights: better on the new labels, as good on the old ones.
        EvaluationReport before;
        EvaluationReport after;
        try (ClipModel model = ClipModel.load(start, LoadOptions.defaults())) {
          before = ZeroShotEvaluation.run(model, ClipTokenizer.load(), test(), labels);
        }
        try (ClipModel model =
            ClipModel.load(
                store.resolve(last.getCheckpointUri().toString()), LoadOptions.defaults())) {
          after = ZeroShotEvaluation.run(model, ClipTokenizer.load(), test(), labels);
        }
        List<String> old = FashionMnist.CLASSES.stream().filter(c -> !NEW.contains(c)).toList();
        System.out.printf(
            "continual: %s at step %d; new labels %.3f -> %.3f, old labels %.3f -> %.3f%n",
            last.getModelVersion(),
            last.getTrainingStep(),
            before.accuracyOn(NEW),
            after.accuracyOn(NEW),
            before.accuracyOn(old),
            after.accuracyOn(old));
        assertTrue(after.accuracyOn(NEW) - before.accuracyOn(NEW) >= 0.30, "new labels learnt");
        assertTrue(before.accuracyOn(old) - after.accuracyOn(old) <= 0.02, "old labels kept");

        // The tagging job serves the last published version, without a restart.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String served = "";
        int probes = 0;
        while (!served.equals(last.getModelVersion().toString()) && System.nanoTime() < deadline) {
          client.produce(Pipelines.TOPICS.input(), null, captioned(test(), probes % 100, 1));
          probes++;
          List<ConsumerRecord<byte[], byte[]>> tags =
              client.readCommitted(
                  Pipelines.TOPICS.results(), 2400 + probes, Duration.ofSeconds(30));
          served =
              SingleObjectCodec.of(TagResult.class)
                  .decode(tags.get(tags.size() - 1).value())
                  .value()
                  .getModelVersion()
                  .toString();
          Thread.sleep(200);
        }
        assertEquals(last.getModelVersion().toString(), served);
      } finally {
        tagging.cancel().get();
      }
    }
  }

  @Test
  void resumesFromItsLastCheckpointAfterATaskManagerDiesAndPublishesNothingPastAClosedGate(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    Path start = dir.resolve("start.safetensors");
    DefaultModel.copyTo(DefaultModel.WITHOUT_BAG_ANKLE_BOOT, start);
    List<byte[]> events = captioned(train(), 2400, RESTORE_EVENTS);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(Pipelines.TOPICS.definitions(1, (short) 1));
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      client.produce(Pipelines.TOPICS.input(), null, events);
      Path undisturbed = run(kafka, "undisturbed", cluster, false);
      Path recovered = run(kafka, "recovered", cluster, true);

      SafeTensorsFile a = SafeTensorsFile.read(finalWeights(undisturbed));
      SafeTensorsFile b = SafeTensorsFile.read(finalWeights(recovered));
      assertEquals(
          step(finalWeights(undisturbed)),
          step(finalWeights(recovered)),
          "the same number of steps");
      double worst = 0;
      for (String name : a.tensors().keySet()) {
        float[] x = a.floats(name);
        float[] y = b.floats(name);
        for (int i = 0; i < x.length; i++) {
          worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
      }
      System.out.printf("continual: largest weight difference after a restore %.3g%n", worst);
      assertTrue(worst <= 1e-6, "weights match a run without the failure: " + worst);

      // A gate nothing can pass (accuracy on the guard folder must rise by 100 points) published
      // nothing.
      assertTrue(
          client
              .readCommitted(Pipelines.TOPICS.modelUpdates(), 1, Duration.ofSeconds(3))
              .isEmpty());
      assertFalse(Files.exists(undisturbed.resolve("published")));
    }
  }

  /**
   * Largest checkpointed state per pixel value of the pairs the trainer holds (the replay
   * reservoir, the held-out slice and the pending pairs): 8-bit crops take one byte each and float
   * tensors four, so two bounds them apart with room for captions and framing.
   */
  static final double STATE_BYTES_PER_PIXEL_VALUE = 2.0;

  /**
   * One bounded run of the training job over the topic; kills a TaskManager once when {@code kill}.
   * Checks the size of the trainer's checkpointed state.
   */
  Path run(EmbeddedKafka kafka, String name, MiniCluster cluster, boolean kill) throws Exception {
    MiniCluster killOnce = kill ? cluster : null;
    int events = RESTORE_EVENTS;
    Path store = Files.createDirectories(dir.resolve(name));
    Path start = dir.resolve("start.safetensors");
    StreamExecutionEnvironment env = Pipelines.environment(400, dir.resolve("checkpoints-" + name));
    env.setParallelism(1);
    // Each run is a deployment of its own: the Kafka connector refuses, per JVM, a sink whose
    // transactional-id prefix a just-finished job's committer may still hold.
    ContinualTrainingJob.onKafka(
        env,
        new KafkaOptions(
            kafka.bootstrapServers(),
            java.util.Map.of(),
            KafkaOptions.DEFAULT_TRANSACTION_TIMEOUT,
            name,
            KafkaOptions.TRANSACTION_NAMING.defaultValue()),
        Pipelines.TOPICS.input(),
        Pipelines.TOPICS.modelUpdates(),
        name,
        true,
        28,
        settings(start, store, -1.0, guardFolder()));
    JobClient job = env.executeAsync(name);
    if (killOnce != null) {
      Path training = store.resolve("training");
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!hasCheckpoint(training) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(hasCheckpoint(training), "a training checkpoint was written before the kill");
      killOnce.terminateTaskManager(0).get();
      killOnce.startTaskManager();
    }
    job.getJobExecutionResult().get();
    if (!kill) {
      var stats = Pipelines.checkpointStats(cluster, job.getJobID());
      long largest = stats.getSummaryStats().getStateSizeStats().getMaximum();
      // Every captioned event is held (replay 2,048 > 1,200): the pairs in the state.
      long values = (long) events * 3 * 28 * 28;
      System.out.printf(
          "continual: largest checkpoint %d bytes (%d completed), %.2f bytes per pixel value of"
              + " the %d pairs held%n",
          largest,
          stats.getCounts().getNumberOfCompletedCheckpoints(),
          (double) largest / values,
          events);
      assertTrue(
          largest < STATE_BYTES_PER_PIXEL_VALUE * values,
          "the trainer keeps 8-bit crops, not float tensors: " + largest + " bytes");
    }
    assertEquals(
        killOnce == null ? 0 : 1,
        Pipelines.restarts(METRICS, job.getJobID()),
        "restarts: only the one the test caused");
    assertTrue(Pipelines.total(METRICS, job.getJobID(), "gateRefused") >= 1, "the gate was asked");
    return store;
  }

  /** 100 test images as a labelled guard folder (a subfolder per label). */
  Path guardFolder() throws Exception {
    Path folder = dir.resolve("guard");
    if (Files.isDirectory(folder)) {
      return folder;
    }
    LabelledImages test = test();
    for (int i = 0; i < 100; i++) {
      Path label = Files.createDirectories(folder.resolve(test.className(i)));
      ImageIO.write(test.toBufferedImage(i), "png", label.resolve(i + ".png").toFile());
    }
    return folder;
  }

  /** A step's weights: {@code training/<job id>/step-N-<sha prefix>.safetensors}. */
  static final java.util.regex.Pattern STEP_WEIGHTS =
      java.util.regex.Pattern.compile("step-(\\d+)-[0-9a-f]{12}\\.safetensors");

  static boolean hasCheckpoint(Path training) throws Exception {
    try {
      return !stepWeights(training).isEmpty();
    } catch (java.io.UncheckedIOException e) {
      return false; // a file went while the folder was walked (the trainer's clean-up): ask again
    }
  }

  /** The checkpoint weight files under {@code training} (one folder per job), any job. */
  static List<Path> stepWeights(Path training) throws Exception {
    if (!Files.isDirectory(training)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(training)) {
      return files
          .filter(f -> STEP_WEIGHTS.matcher(f.getFileName().toString()).matches())
          .sorted(java.util.Comparator.comparingLong(ContinualTrainingJobITCase::step))
          .toList();
    }
  }

  /** The step number in a step file's name. */
  static long step(Path weights) {
    java.util.regex.Matcher m = STEP_WEIGHTS.matcher(weights.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(weights + " is not a step's weights");
    }
    return Long.parseLong(m.group(1));
  }

  /** The weights of the last step, written at the job's final checkpoint. */
  static Path finalWeights(Path store) throws Exception {
    List<Path> all = stepWeights(store.resolve("training"));
    if (all.isEmpty()) {
      throw new AssertionError("no step weights under " + store);
    }
    return all.get(all.size() - 1);
  }
}
