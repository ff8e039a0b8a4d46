package dev.clipstream.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.runtime.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input source restored from a savepoint in which one partition had not been read yet: after
 * the savepoint the job read that partition and committed the group's offsets past what it read, so
 * a restored job that looked the offsets up again would skip those records. The source must replay
 * them: its starting offsets are resolved to numbers when the splits are first assigned and kept in
 * the savepoint, not left to "the group's committed offset" for the reader to resolve.
 */
class RawSourceRestoreITCase {

  static final String TOPIC = "restore-input";
  static final String GROUP = "restore-group";

  /** What the jobs read, as "partition/offset"; the jobs run in this JVM's MiniCluster. */
  static final ConcurrentLinkedQueue<String> READ = new ConcurrentLinkedQueue<>();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  @TempDir Path dir;

  @Test
  void replaysAPartitionThatWasUnreadAtTheSavepointEvenAfterTheGroupCommittedPastIt(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)));
      produce(kafka, 0, 3);

      JobClient first = submit(cluster, kafka, null);
      await(() -> READ.size() >= 3, "the first job read partition 0");
      String savepoint =
          first
              .triggerSavepoint(
                  dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
              .get();

      produce(kafka, 1, 3);
      await(() -> read(1).size() == 3, "the first job read partition 1 after the savepoint");
      await(
          () -> committed(kafka, 1) == 3,
          "the first job committed the group's offset of partition 1 past its records");
      first.cancel().get();
      cluster.requestJobResult(first.getJobID()).get();

      READ.clear();
      JobClient restored = submit(cluster, kafka, savepoint);
      await(() -> read(1).size() >= 3, "the restored job replayed partition 1");
      Thread.sleep(500); // anything more it would read
      restored.cancel().get();
      cluster.requestJobResult(restored.getJobID()).get();

      System.out.printf(
          "source restore: savepoint before partition 1 was read, group offset of partition 1"
              + " then 3; the restored job read %s%n",
          new TreeSet<>(READ));
      assertEquals(
          Set.of("1/0", "1/1", "1/2"), Set.copyOf(READ), "partition 1 again, nothing else");
    }
  }

  static JobClient submit(MiniCluster cluster, EmbeddedKafka kafka, String savepoint)
      throws Exception {
    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "none");
    if (savepoint != null) {
      conf.setString("execution.state-recovery.path", savepoint);
    }
    StreamExecutionEnvironment env =
        new TestStreamEnvironment(cluster, conf, 1, List.of(), List.of());
    env.enableCheckpointing(200);
    env.fromSource(
            KafkaConnections.rawSource(
                KafkaOptions.of(kafka.bootstrapServers()), TOPIC, GROUP, false),
            WatermarkStrategy.noWatermarks(),
            "input")
        .uid("input")
        .map(
            r -> {
              READ.add(r.partition + "/" + r.offset);
              return r.offset;
            })
        .uid("read")
        .sinkTo(new DiscardingSink<>());
    return env.executeAsync("source-restore");
  }

  static List<String> read(int partition) {
    return READ.stream().filter(r -> r.startsWith(partition + "/")).toList();
  }

  /** The group's committed offset of {@code partition}, or -1 while there is none. */
  static long committed(EmbeddedKafka kafka, int partition) {
    try (var admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
      OffsetAndMetadata o = offsets.get(new TopicPartition(TOPIC, partition));
      return o == null ? -1 : o.offset();
    } catch (Exception e) {
      return -1;
    }
  }

  static void produce(EmbeddedKafka kafka, int partition, int count) throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < count; i++) {
        byte[] value = ("p" + partition + "-" + i).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(TOPIC, partition, null, value)).get();
      }
    }
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(condition.getAsBoolean(), what);
  }
}
