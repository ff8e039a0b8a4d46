package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.ControlPolicy;
import dev.clipstream.jobs.control.ReadControl;
import dev.clipstream.jobs.io.CapDeadLetterPayload;
import dev.clipstream.jobs.io.CountDeadLetters;
import dev.clipstream.jobs.io.DeadLetters;
import dev.clipstream.jobs.io.DecodeEvent;
import dev.clipstream.jobs.io.DecodeImage;
import dev.clipstream.jobs.io.Delivery;
import dev.clipstream.jobs.io.KafkaConnections;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.jobs.io.OutputOptions;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.jobs.io.SourcedEvent;
import dev.clipstream.jobs.io.TransactionTimeoutCheck;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.TagResult;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The real-time tagging job's topology: Kafka records → decode the event → decode and preprocess
 * the image → batch, encode and label zero-shot → results; every reject to the dead letters. The
 * control topics (label sets, model updates) are read once, checked, and broadcast to every
 * encoder, which applies them between batches. The caller hands in the source and sinks, so tests
 * run the same topology on a bounded source.
 */
public final class TaggingJob {

  /**
   * What the topology needs to know, fixed when the job is built. {@code weights} is {@code
   * model.weights} (read on the TaskManagers); an {@code imageSize} of 0 is the weights' own,
   * likewise read there.
   */
  public record Settings(
      String weights,
      int imageSize,
      BatchingOptions batching,
      LabelSet labelSet,
      int topK,
      String modelStore,
      ControlPolicy control,
      int deadLetterMaxPayloadBytes,
      String device,
      String precision,
      ResultOptions results,
      ExampleOptions examples)
      implements Serializable {

    /** Settings with the default {@link ExampleOptions}. */
    public Settings(
        String weights,
        int imageSize,
        BatchingOptions batching,
        LabelSet labelSet,
        int topK,
        String modelStore,
        ControlPolicy control,
        int deadLetterMaxPayloadBytes,
        String device,
        String precision,
        ResultOptions results) {
      this(
          weights,
          imageSize,
          batching,
          labelSet,
          topK,
          modelStore,
          control,
          deadLetterMaxPayloadBytes,
          device,
          precision,
          results,
          ExampleOptions.defaults());
    }

    /**
     * Settings with the default control policy (signatures required), dead-letter cap, device
     * ({@code auto}) and precision (float32).
     */
    public Settings(
        String weights,
        int imageSize,
        BatchingOptions batching,
        LabelSet labelSet,
        int topK,
        String modelStore) {
      this(
          weights,
          imageSize,
          batching,
          labelSet,
          topK,
          modelStore,
          ControlPolicy.defaults(),
          CapDeadLetterPayload.DEFAULT_MAX_PAYLOAD_BYTES,
          TaggingOptions.MODEL_DEVICE.defaultValue(),
          TaggingOptions.MODEL_PRECISION.defaultValue(),
          ResultOptions.defaults());
    }

    /** These settings accepting control messages under {@code policy}. */
    public Settings withControl(ControlPolicy policy) {
      return new Settings(
          weights,
          imageSize,
          batching,
          labelSet,
          topK,
          modelStore,
          policy,
          deadLetterMaxPayloadBytes,
          device,
          precision,
          results,
          examples);
    }

    /** These settings judging results (unknown, near-duplicates) by {@code options}. */
    public Settings withResults(ResultOptions options) {
      return new Settings(
          weights,
          imageSize,
          batching,
          labelSet,
          topK,
          modelStore,
          control,
          deadLetterMaxPayloadBytes,
          device,
          precision,
          options,
          examples);
    }

    /** These settings learning labels from examples by {@code options}. */
    public Settings withExamples(ExampleOptions options) {
      return new Settings(
          weights,
          imageSize,
          batching,
          labelSet,
          topK,
          modelStore,
          control,
          deadLetterMaxPayloadBytes,
          device,
          precision,
          results,
          options);
    }
  }

  /**
   * The topics the job reads and writes: data topics, the two control topics and the examples topic
   * ({@code topics.examples}; empty: the job learns no labels from examples).
   */
  public record Topics(
      String input,
      String results,
      String deadLetters,
      String labelSets,
      String modelUpdates,
      String examples)
      implements Serializable {

    /** The topics without an examples topic. */
    public Topics(
        String input, String results, String deadLetters, String labelSets, String modelUpdates) {
      this(input, results, deadLetters, labelSets, modelUpdates, "");
    }

    /** These topics with {@code topic} as the examples topic. */
    public Topics withExamples(String topic) {
      return new Topics(input, results, deadLetters, labelSets, modelUpdates, topic);
    }

    /** Whether the job learns labels from an examples topic. */
    public boolean teaches() {
      return !examples.isEmpty();
    }

    /** The default names of {@link TaggingOptions}. */
    public static Topics defaults() {
      return new Topics(
          TaggingOptions.INPUT_TOPIC.defaultValue(),
          TaggingOptions.RESULTS_TOPIC.defaultValue(),
          TaggingOptions.DEAD_LETTER_TOPIC.defaultValue(),
          TaggingOptions.LABEL_SETS_TOPIC.defaultValue(),
          TaggingOptions.MODEL_UPDATES_TOPIC.defaultValue());
    }

    /**
     * The topics as they should be created: the input with {@code inputPartitions} partitions, the
     * control topics compacted (the latest record per key is the current one), the rest deleted by
     * retention.
     */
    public List<NewTopic> definitions(int inputPartitions, short replication) {
      Map<String, String> compacted = Map.of("cleanup.policy", "compact");
      List<NewTopic> topics =
          new java.util.ArrayList<>(
              List.of(
                  new NewTopic(input, inputPartitions, replication),
                  new NewTopic(results, inputPartitions, replication),
                  new NewTopic(deadLetters, 1, replication),
                  new NewTopic(labelSets, 1, replication).configs(compacted),
                  new NewTopic(modelUpdates, 1, replication).configs(compacted)));
      if (teaches()) {
        // Keyed by example id: compaction keeps each example, so a job started afresh relearns.
        topics.add(new NewTopic(examples, 1, replication).configs(compacted));
      }
      return List.copyOf(topics);
    }

    /** The control topics, label sets first. */
    public List<String> control() {
      return List.of(labelSets, modelUpdates);
    }

    /** What the control source reads: the control topics and, when set, the examples topic. */
    public List<String> controlAndExamples() {
      return teaches() ? List.of(labelSets, modelUpdates, examples) : control();
    }
  }

  /** Longest a decoded image waits in a network buffer on its way to the encoder. */
  static final long IMAGE_BUFFER_TIMEOUT_MS = 5;

  private TaggingJob() {}

  /**
   * Wires the job between real Kafka topics: a read-committed source of {@code topics.input()}
   * (bounded at its current end when {@code bounded}) and exactly-once sinks keyed by event id.
   */
  public static void onKafka(
      StreamExecutionEnvironment env,
      KafkaOptions kafka,
      Topics topics,
      String groupId,
      boolean bounded,
      Settings settings) {
    onKafka(env, kafka, topics, groupId, bounded, settings, OutputOptions.defaults());
  }

  /**
   * The same, writing results and dead letters in the wire format and with the delivery ({@code
   * output.delivery}: exactly once, or at least once keyed for replays) of {@code output}.
   */
  public static void onKafka(
      StreamExecutionEnvironment env,
      KafkaOptions kafka,
      Topics topics,
      String groupId,
      boolean bounded,
      Settings settings,
      OutputOptions output) {
    if (output.delivery().transactional()) {
      TransactionTimeoutCheck.check(kafka);
    }
    Delivery delivery = output.delivery();
    defineWorkflow(
        env,
        KafkaConnections.rawSource(kafka, topics.input(), groupId, bounded),
        KafkaConnections.controlSource(
            kafka, topics.controlAndExamples(), groupId + "-control", bounded),
        topics,
        KafkaConnections.sink(
            kafka,
            TagResult.class,
            topics.results(),
            TagResult::getEventId,
            kafka.transactionalIdPrefix("tagging-results"),
            output),
        KafkaConnections.sink(
            kafka,
            DeadLetter.class,
            topics.deadLetters(),
            delivery::deadLetterKey,
            kafka.transactionalIdPrefix("tagging-dead-letters"),
            output),
        settings);
  }

  /**
   * Wires the operators between the sources and the two sinks; {@code control} carries records of
   * the label-sets and model-updates topics named in {@code topics}.
   */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      Source<KafkaRecord, ?, ?> source,
      Source<KafkaRecord, ?, ?> control,
      Topics topics,
      Sink<TagResult> results,
      Sink<DeadLetter> deadLetters,
      Settings settings) {
    SingleOutputStreamOperator<SourcedEvent> events =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-images")
            .process(new DecodeEvent())
            .name("decode-event")
            .uid("decode-event");
    SingleOutputStreamOperator<PreparedImage> images =
        events
            .process(
                DecodeImage.of(settings.imageSize(), settings.weights())
                    .withThumbnails(settings.results().thumbnailSize()))
            .name("decode-image")
            .uid("decode-image")
            // The hop into the encoder is a network channel (a two-input operator does not chain):
            // Flink's default 100 ms buffer timeout would sit in every image's latency.
            .setBufferTimeout(IMAGE_BUFFER_TIMEOUT_MS);
    DataStream<KafkaRecord> controlRecords =
        env.fromSource(control, WatermarkStrategy.noWatermarks(), "kafka-control")
            .setParallelism(1);
    DataStream<KafkaRecord> exampleRecords = null;
    if (topics.teaches()) {
      String examplesTopic = topics.examples();
      exampleRecords =
          controlRecords
              .filter(r -> r.topic.equals(examplesTopic) && r.value != null)
              .setParallelism(1)
              .name("example-records")
              .uid("example-records");
      controlRecords =
          controlRecords
              .filter(r -> !r.topic.equals(examplesTopic))
              .setParallelism(1)
              .name("control-records")
              .uid("control-records");
    }
    SingleOutputStreamOperator<ControlMessage> controlMessages =
        controlRecords
            .process(new ReadControl(topics.labelSets(), topics.modelUpdates(), settings.control()))
            .setParallelism(1)
            .name("read-control")
            .uid("read-control");
    DataStream<ControlMessage> toEncoders = controlMessages;
    List<DataStream<DeadLetter>> exampleRejects = new java.util.ArrayList<>();
    if (exampleRecords != null) {
      TeachingPath teaching = TeachingPath.wire(exampleRecords, controlMessages, settings);
      toEncoders = controlMessages.union(teaching.prototypes());
      exampleRejects.addAll(teaching.rejects());
    }
    SingleOutputStreamOperator<EncodedImage> encoded =
        images
            .connect(toEncoders.broadcast())
            .transform(
                "batch-encode-label",
                TypeInformation.of(EncodedImage.class),
                new BatchEncode<>(settings.batching(), EncodeAndLabel.factory(settings)))
            .uid("batch-encode-label");
    DataStream<EncodedImage> judged = encoded;
    ResultOptions checks = settings.results();
    if (checks.checksDuplicates()) {
      judged =
          encoded
              .keyBy(image -> FlagNearDuplicates.scopeOf(image, checks), Types.STRING)
              .process(new FlagNearDuplicates(checks))
              .returns(TypeInformation.of(EncodedImage.class))
              .name("flag-near-duplicates")
              .uid("flag-near-duplicates");
    }
    judged
        .map(new MeasureStages())
        .name("measure-stages")
        .uid("measure-stages")
        .map(new ToTagResult(checks.unknown()))
        .returns(TagResult.class)
        .name("to-tag-result")
        .uid("to-tag-result")
        .sinkTo(results)
        .name("kafka-results")
        .uid("kafka-results");
    DataStream<DeadLetter> rejects =
        events
            .getSideOutput(DeadLetters.TAG)
            .union(
                images.getSideOutput(DeadLetters.TAG),
                controlMessages.getSideOutput(DeadLetters.TAG));
    for (DataStream<DeadLetter> more : exampleRejects) {
      rejects = rejects.union(more);
    }
    rejects
        .map(new CapDeadLetterPayload(settings.deadLetterMaxPayloadBytes()))
        .name("cap-dead-letter-payload")
        .uid("cap-dead-letter-payload")
        .map(new CountDeadLetters())
        .name("count-dead-letters")
        .uid("count-dead-letters")
        .sinkTo(deadLetters)
        .name("kafka-dead-letters")
        .uid("kafka-dead-letters");
  }
}
