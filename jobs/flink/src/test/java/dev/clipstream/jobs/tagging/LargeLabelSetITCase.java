package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.control.ControlKeys;
import dev.clipstream.jobs.control.ControlPolicy;
import dev.clipstream.jobs.control.ControlSigner;
import dev.clipstream.jobs.control.LabelSetDefinitions;
import dev.clipstream.jobs.control.TrustedKeys;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.ModelLabels;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.zeroshot.Label;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsCounts;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2,000-label set is embedded off the encoders' task threads: images keep being tagged with the
 * old set while it is embedded, checkpoints keep completing, and then the new set labels every
 * image as the model's own zero-shot classifier does. The longest pause between batches in that
 * window is measured and printed (no bound asserted: the machine decides it).
 */
class LargeLabelSetITCase {

  static final int LABELS = 2_000;

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster();

  @TempDir Path cache;

  final SingleObjectCodec<ImageEvent> events = SingleObjectCodec.of(ImageEvent.class);
  final SingleObjectCodec<TagResult> tags = SingleObjectCodec.of(TagResult.class);

  @Test
  void aLargeLabelSetIsEmbeddedWhileBatchesContinue(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    LabelledImages images =
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(100);
    DemoImages demo = new DemoImages(images);
    KeyPair keys = ControlKeys.generate();
    ControlSigner signer = ControlSigner.of(keys.getPrivate(), keys.getPublic());
    LabelSet first = LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES);
    List<Label> many = new ArrayList<>();
    for (int i = 0; i < LABELS; i++) {
      many.add(
          Label.named(
              i < FashionMnist.CLASSES.size() ? FashionMnist.CLASSES.get(i) : "thing " + i));
    }
    LabelSet large = new LabelSet("fashion-mnist", 2, many, List.of("a photo of a {}."));

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      StreamExecutionEnvironment env = Pipelines.environment(200);
      TaggingJob.onKafka(
          env,
          KafkaOptions.of(kafka.bootstrapServers()),
          Pipelines.TOPICS,
          "large-labels",
          false,
          new TaggingSettings("", 28, new BatchingOptions(4, Duration.ofMillis(5)), first, 3, "")
              .withControl(
                  ControlPolicy.trusting(new TrustedKeys(List.of(keys.getPublic().getEncoded())))));
      JobClient job = env.executeAsync("large-labels");
      AtomicLong produced = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      Thread producer =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    client.produce(
                        Pipelines.TOPICS.input(),
                        null,
                        List.of(events.encode(demo.event(produced.getAndIncrement()))));
                    Thread.sleep(20);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              "trickle");
      try {
        producer.start();
        client.readCommitted(Pipelines.TOPICS.results(), 20, Duration.ofSeconds(120));
        // Checkpoints may fail while the tasks start (the model loads in open()); count from here.
        CheckpointStatsCounts before =
            Pipelines.checkpointStats(cluster, job.getJobID()).getCounts();
        long published = System.currentTimeMillis();
        LabelSetDefinition definition = signer.sign(LabelSetDefinitions.of(large));
        client.produce(
            Pipelines.TOPICS.labelSets(),
            List.of("fashion-mnist".getBytes(StandardCharsets.UTF_8)),
            List.of(SingleObjectCodec.of(LabelSetDefinition.class).encode(definition)));

        List<TagResult> results = List.of();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (results.stream().filter(t -> t.getLabelSetVersion() == 2).count() < 40
            && System.nanoTime() < deadline) {
          Thread.sleep(1_000);
          results = read(client, (int) produced.get());
        }
        stop.set(true);
        producer.join();
        results = read(client, (int) produced.get());
        CheckpointStatsCounts counts =
            Pipelines.checkpointStats(cluster, job.getJobID()).getCounts();

        List<TagResult> relabelled =
            results.stream().filter(t -> t.getLabelSetVersion() == 2).toList();
        assertFalse(relabelled.isEmpty(), "the large set was applied");

        long applied =
            relabelled.stream()
                .mapToLong(t -> t.getProcessingTime().toEpochMilli())
                .min()
                .getAsLong();
        TreeSet<Long> batchTimes = new TreeSet<>();
        for (TagResult t : results) {
          long at = t.getProcessingTime().toEpochMilli();
          if (at >= published && at <= applied) {
            batchTimes.add(at);
          }
        }
        long longestGap = 0;
        Long previous = null;
        for (long at : batchTimes) {
          if (previous != null) {
            longestGap = Math.max(longestGap, at - previous);
          }
          previous = at;
        }
        long oldSetAfterPublish =
            results.stream()
                .filter(t -> t.getLabelSetVersion() == 1)
                .filter(t -> t.getProcessingTime().toEpochMilli() > published)
                .count();
        System.out.printf(
            "large label set: %d labels applied %d ms after publishing; meanwhile %d results"
                + " in %d distinct batch times with the old set, longest gap between batches"
                + " %d ms; since the publish %d checkpoints completed, %d failed%n",
            LABELS,
            applied - published,
            oldSetAfterPublish,
            batchTimes.size(),
            longestGap,
            counts.getNumberOfCompletedCheckpoints() - before.getNumberOfCompletedCheckpoints(),
            counts.getNumberOfFailedCheckpoints() - before.getNumberOfFailedCheckpoints());
        assertEquals(produced.get(), results.size(), "every image tagged exactly once");
        assertEquals(
            before.getNumberOfFailedCheckpoints(),
            counts.getNumberOfFailedCheckpoints(),
            "no checkpoint failed while the set was embedded and applied");
        assertTrue(
            counts.getNumberOfCompletedCheckpoints() > before.getNumberOfCompletedCheckpoints(),
            "checkpoints completed meanwhile");
        assertTrue(oldSetAfterPublish > 0, "images were tagged while the set was embedded");
        assertLabelsAreWhatTheModelComputes(relabelled.subList(0, 8), images, large);
      } finally {
        stop.set(true);
        producer.join();
        job.cancel().get();
      }
    }
  }

  List<TagResult> read(KafkaTestClient client, int expected) {
    List<TagResult> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        client.readCommitted(Pipelines.TOPICS.results(), expected, Duration.ofSeconds(60))) {
      out.add(tags.decode(r.value()).value());
    }
    return out;
  }

  /** Each result's top label is the one the model's own zero-shot classifier gives the image. */
  static void assertLabelsAreWhatTheModelComputes(
      List<TagResult> results, LabelledImages images, LabelSet labels) {
    try (ClipModel model = DefaultModel.load()) {
      ModelLabels.assertTopLabelsAreTheModels(results, images, model, labels);
    }
  }
}
