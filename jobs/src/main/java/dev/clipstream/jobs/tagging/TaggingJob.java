package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.io.CountDeadLetters;
import dev.clipstream.jobs.io.DeadLetters;
import dev.clipstream.jobs.io.DecodeEvent;
import dev.clipstream.jobs.io.DecodeImage;
import dev.clipstream.jobs.io.KafkaConnections;
import dev.clipstream.jobs.io.KafkaOptions;
import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.jobs.io.SourcedEvent;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.DeadLetter;
import dev.clipstream.schemas.TagResult;
import java.io.Serializable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real-time tagging job's topology: Kafka records → decode the event → decode and preprocess
 * the image → batch and encode → label zero-shot → results; every reject to the dead letters. The
 * caller hands in the source and sinks, so tests run the same topology on a bounded source.
 */
public final class TaggingJob {

  /** What the topology needs to know, fixed when the job is built. */
  public record Settings(
      String weights, int imageSize, BatchingOptions batching, LabelSet labelSet, int topK)
      implements Serializable {}

  /** The three topics the job reads and writes. */
  public record Topics(String input, String results, String deadLetters) implements Serializable {
    /** The default names of {@link TaggingOptions}. */
    public static Topics defaults() {
      return new Topics(
          TaggingOptions.INPUT_TOPIC.defaultValue(),
          TaggingOptions.RESULTS_TOPIC.defaultValue(),
          TaggingOptions.DEAD_LETTER_TOPIC.defaultValue());
    }
  }

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
    defineWorkflow(
        env,
        KafkaConnections.rawSource(kafka, topics.input(), groupId, bounded),
        KafkaConnections.exactlyOnceSink(
            kafka, TagResult.class, topics.results(), TagResult::getEventId, groupId + "-results"),
        KafkaConnections.exactlyOnceSink(
            kafka,
            DeadLetter.class,
            topics.deadLetters(),
            DeadLetter::getEventId,
            groupId + "-dead-letters"),
        settings);
  }

  /** Wires the operators between {@code source} and the two sinks. */
  public static void defineWorkflow(
      StreamExecutionEnvironment env,
      Source<KafkaRecord, ?, ?> source,
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
            .process(new DecodeImage(PreprocessOptions.defaults(settings.imageSize())))
            .name("decode-image")
            .uid("decode-image");
    SingleOutputStreamOperator<EncodedImage> encoded =
        images
            .transform(
                "batch-encode",
                TypeInformation.of(EncodedImage.class),
                new BatchEncode<>(settings.batching(), EncodeImages.factory(settings.weights())))
            .uid("batch-encode");
    encoded
        .map(new LabelZeroShot(settings.weights(), settings.labelSet(), settings.topK()))
        .returns(TagResult.class)
        .name("label-zero-shot")
        .uid("label-zero-shot")
        .sinkTo(results)
        .name("kafka-results")
        .uid("kafka-results");
    DataStream<DeadLetter> rejects =
        events.getSideOutput(DeadLetters.TAG).union(images.getSideOutput(DeadLetters.TAG));
    rejects
        .map(new CountDeadLetters())
        .name("count-dead-letters")
        .uid("count-dead-letters")
        .sinkTo(deadLetters)
        .name("kafka-dead-letters")
        .uid("kafka-dead-letters");
  }
}
