package dev.clipstream.jobs.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.runtime.EmbeddedKafka;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.Pipelines;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.zeroshot.LabelSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager killed mid-stream: after the restart, committed output holds each input exactly
 * once.
 */
class TaggingJobFailureITCase {

  static final int FIRST = 150;
  static final int SECOND = 150;

  @RegisterExtension static final MiniClusterExtension FLINK = Pipelines.miniCluster();

  @TempDir Path cache;

  @Test
  void keepsEachResultExactlyOnceWhenATaskManagerDies(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    DemoImages images =
        new DemoImages(
            FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
                .head(500));
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Pipelines.createTopics(kafka, Pipelines.TOPICS);
      KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
      client.produce("images", null, TaggingRuns.imageEvents(images, 0, FIRST));
      KafkaOptions options = KafkaOptions.of(kafka.bootstrapServers());
      StreamExecutionEnvironment env = Pipelines.environment(300);
      TaggingJob.onKafka(
          env,
          options,
          Pipelines.TOPICS,
          "failure-test",
          false,
          new TaggingSettings(
              "",
              28,
              new BatchingOptions(8, Duration.ofMillis(20)),
              LabelSet.of("fashion-mnist", 1, FashionMnist.CLASSES),
              1,
              ""));
      JobClient job = env.executeAsync("failure-test");
      try {
        client.readCommitted("tags", FIRST / 3, Duration.ofSeconds(60));

        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        client.produce("images", null, TaggingRuns.imageEvents(images, FIRST, FIRST + SECOND));

        List<ConsumerRecord<byte[], byte[]>> tags =
            client.readCommitted("tags", FIRST + SECOND, Duration.ofSeconds(120));
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : tags) {
          ids.add(new String(r.key()));
        }
        assertEquals(FIRST + SECOND, ids.size(), "every input has a result");
        assertEquals(FIRST + SECOND, tags.size(), "and none has two");
      } finally {
        job.cancel().get();
      }
    }
  }
}
