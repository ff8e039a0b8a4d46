package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
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
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.TagResult;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real-time tagging job's topology: Kafka records → decode the event → decode and preprocess
 * the image → batch, encode and label zero-shot → results; every reject to the dead letters. The
 * control topics (label sets, model updates) are read once, checked, and broadcast to every
 * encoder, which applies them between batches. The caller hands in the source and sinks, so tests
 * run the same topology on a bounded source.
 */
public final class TaggingJob {

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
      TaggingTopics topics,
      String groupId,
      boolean bounded,
      TaggingSettings settings) {
    onKafka(env, kafka, topics, groupId, bounded, settings, OutputOptions.defaults());
  }

  /**
   * The same, writing results and dead letters in the wire format and with the delivery ({@code
   * output.delivery}: exactly once, or at least once keyed for replays) of {@code output}.
   */
  public static void onKafka(
      StreamExecutionEnvironment env,
      KafkaOptions kafka,
      TaggingTopics topics,
      String groupId,
      boolean bounded,
      TaggingSettings settings,
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
      TaggingTopics topics,
      Sink<TagResult> results,
      Sink<DeadLetter> deadLetters,
      TaggingSettings settings) {
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
