package dev.clipstream.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipstream.jobs.deploy.TaggingJobMain;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.jobs.testing.KafkaTestClient;
import dev.clipstream.jobs.testing.TaggingRuns;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.schemas.DeadLetter;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One tagging deployment on the shared cluster: its topics, its program arguments, the inputs a
 * test wrote (good images, undecodable images, bytes that are no event) and the check that the
 * committed output holds each of them exactly once, as a result or as a dead letter.
 */
final class ClusterTagging {
  /** Not a time limit: the longest a test waits for committed output on a loaded machine. */
  static final Duration PATIENCE = Duration.ofMinutes(5);

  static final SingleObjectCodec<ImageEvent> EVENTS = SingleObjectCodec.of(ImageEvent.class);

  final String name;
  final TaggingTopics topics;
  final String bootstrapServers;
  final KafkaTestClient client;
  private final DemoImages images;
  private final Set<String> goodIds = new HashSet<>();
  private int poison;
  private int next;

  ClusterTagging(String name, String bootstrapServers, DemoImages images) {
    this.name = name;
    this.topics =
        new TaggingTopics(
            name + "-images",
            name + "-tags",
            name + "-dead",
            name + "-label-sets",
            name + "-model-updates");
    this.bootstrapServers = bootstrapServers;
    this.client = new KafkaTestClient(bootstrapServers);
    this.images = images;
  }

  /** 1,000 Fashion-MNIST test images (bundled with the model module). */
  static DemoImages images(Path cache) throws Exception {
    return new DemoImages(
        FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
            .head(1000));
  }

  /**
   * Creates the topics (replication 3); with {@code leader} set, that node is the preferred leader
   * of every partition of the input, results and dead letters.
   */
  void createTopics(int inputPartitions, Integer leader) throws Exception {
    try (Admin admin = admin(bootstrapServers)) {
      List<NewTopic> topicsToCreate = new ArrayList<>();
      topicsToCreate.add(topic(topics.input(), inputPartitions, leader));
      topicsToCreate.add(topic(topics.results(), 2, leader));
      topicsToCreate.add(topic(topics.deadLetters(), 1, leader));
      topicsToCreate.add(topic(topics.labelSets(), 1, null));
      topicsToCreate.add(topic(topics.modelUpdates(), 1, null));
      admin.createTopics(topicsToCreate).all().get();
    }
  }

  private static NewTopic topic(String name, int partitions, Integer leader) {
    if (leader == null) {
      return new NewTopic(name, partitions, (short) 3);
    }
    Map<Integer, List<Integer>> assignment = new HashMap<>();
    List<Integer> replicas = new ArrayList<>(List.of(leader));
    for (int id = 1; id <= 3; id++) {
      if (id != leader) {
        replicas.add(id);
      }
    }
    for (int p = 0; p < partitions; p++) {
      assignment.put(p, replicas);
    }
    return new NewTopic(name, assignment);
  }

  static Admin admin(String bootstrapServers) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return Admin.create(p);
  }

  /** The leader of every partition of {@code topic}, by partition. */
  Map<Integer, Integer> leaders(String topic) throws Exception {
    try (Admin admin = admin(bootstrapServers)) {
      Map<Integer, Integer> out = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> out.put(p.partition(), p.leader() == null ? -1 : p.leader().id()));
      return out;
    }
  }

  /** The tagging job's submission: its settings as {@code --key value} program arguments. */
  JobSubmission submission(int parallelism, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kafka.bootstrap-servers",
                bootstrapServers,
                "--topics.input",
                topics.input(),
                "--topics.results",
                topics.results(),
                "--topics.dead-letters",
                topics.deadLetters(),
                "--topics.label-sets",
                topics.labelSets(),
                "--topics.model-updates",
                topics.modelUpdates(),
                "--kafka.group-id",
                name,
                "--execution.checkpointing.interval",
                "2 s",
                "--batch.max-size",
                "8",
                "--batch.max-wait",
                "50 ms",
                "--labels.top-k",
                "3"));
    args.addAll(List.of(extra));
    return new JobSubmission(TaggingJobMain.class.getName(), parallelism, args, null);
  }

  /**
   * Writes {@code good} image events, then two events whose image does not decode and one record
   * that is no event at all (both become dead letters).
   */
  List<String> produce(int good) throws Exception {
    List<byte[]> values = new ArrayList<>(TaggingRuns.imageEvents(images, next, next + good));
    List<String> ids = new ArrayList<>();
    for (int n = next; n < next + good; n++) {
      ids.add(images.event(n).getEventId().toString());
    }
    goodIds.addAll(ids);
    next += good;
    for (int i = 0; i < 2; i++) {
      values.add(
          EVENTS.encode(
              ImageEvent.newBuilder()
                  .setEventId(name + "-broken-image-" + poison)
                  .setEventTime(Instant.now())
                  .setSource("cluster-test")
                  .setImage(ByteBuffer.wrap("not a png".getBytes(StandardCharsets.UTF_8)))
                  .setContentType("image/png")
                  .build()));
      poison++;
    }
    values.add(("no event " + poison).getBytes(StandardCharsets.UTF_8));
    poison++;
    client.produce(topics.input(), null, values);
    return ids;
  }

  int inputs() {
    return goodIds.size() + poison;
  }

  /** Waits until {@code atLeast} results are committed. */
  void awaitResults(int atLeast) {
    client.readCommitted(topics.results(), atLeast, PATIENCE);
  }

  /** What the committed output holds, against what was written. */
  record Counts(
      int inputs,
      int results,
      int deadLetters,
      int duplicates,
      int missing,
      List<ConsumerRecord<byte[], byte[]>> resultRecords) {}

  /**
   * Reads the committed results and dead letters until every input is accounted for (or {@link
   * #PATIENCE} passes) and asserts each input is there exactly once.
   */
  Counts assertExactlyOnce(String scenario, long restarts, long startNanos) {
    List<ConsumerRecord<byte[], byte[]>> results =
        client.readCommitted(topics.results(), goodIds.size(), PATIENCE);
    List<ConsumerRecord<byte[], byte[]>> dead =
        client.readCommitted(topics.deadLetters(), poison, PATIENCE);
    Map<String, Integer> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : results) {
      seen.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    SingleObjectCodec<DeadLetter> letters = SingleObjectCodec.of(DeadLetter.class);
    Set<String> deadInputs = new HashSet<>();
    int deadDuplicates = 0;
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      DeadLetter d = letters.decode(r.value()).value();
      // A record that is no event has no id: its source position names it.
      String where = d.getSourceTopic() + "/" + d.getSourcePartition() + "/" + d.getSourceOffset();
      if (!deadInputs.add(where)) {
        deadDuplicates++;
      }
    }
    int duplicates = seen.values().stream().mapToInt(n -> n - 1).sum() + deadDuplicates;
    Set<String> missingIds = new HashSet<>(goodIds);
    missingIds.removeAll(seen.keySet());
    int missing = missingIds.size() + Math.max(0, poison - deadInputs.size());
    Counts counts = new Counts(inputs(), results.size(), dead.size(), duplicates, missing, results);
    System.out.printf(
        "cluster %s: inputs %d, results %d, dead letters %d, duplicates %d, missing %d,"
            + " restarts %d, %.1f s%n",
        scenario,
        counts.inputs(),
        counts.results(),
        counts.deadLetters(),
        duplicates,
        missing,
        restarts,
        (System.nanoTime() - startNanos) / 1e9);
    assertEquals(0, duplicates, "no input twice");
    assertEquals(0, missing, "no input lost: " + missingIds.stream().limit(5).toList());
    assertEquals(Set.copyOf(goodIds), seen.keySet(), "results are of the inputs only");
    assertEquals(
        counts.inputs(),
        counts.results() + counts.deadLetters(),
        "inputs = results + dead letters");
    return counts;
  }

  /**
   * How often each input is in the committed output, by event id for results and by source position
   * ("topic/partition/offset") for dead letters; reads until {@code results} results and {@code
   * deadLetters} dead letters are there.
   */
  Map<String, Integer> occurrences(int results, int deadLetters) {
    Map<String, Integer> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        client.readCommitted(topics.results(), results, PATIENCE)) {
      seen.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    SingleObjectCodec<DeadLetter> letters = SingleObjectCodec.of(DeadLetter.class);
    for (ConsumerRecord<byte[], byte[]> r :
        client.readCommitted(topics.deadLetters(), deadLetters, PATIENCE)) {
      DeadLetter d = letters.decode(r.value()).value();
      seen.merge(
          d.getSourceTopic() + "/" + d.getSourcePartition() + "/" + d.getSourceOffset(),
          1,
          Integer::sum);
    }
    return seen;
  }

  /** How many labels a committed result carries. */
  static int labelCount(ConsumerRecord<byte[], byte[]> result) {
    return SingleObjectCodec.of(TagResult.class).decode(result.value()).value().getLabels().size();
  }
}
