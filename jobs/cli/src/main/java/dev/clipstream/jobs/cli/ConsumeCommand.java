package dev.clipstream.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.format.AnyFormatDecoder;
import dev.clipstream.schemas.format.SchemaRegistrySettings;
import dev.clipstream.schemas.wire.DecodeResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream consume}: committed TagResults as JSON lines. */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description =
        "Print the tagging job's committed results (read_committed, in any output format) as JSON lines: event id, model, labels, caption similarity.")
final class ConsumeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(names = "--topic", description = "Results topic (default: the tagging job's).")
  String topic = TaggingOptions.RESULTS_TOPIC.defaultValue();

  @Option(
      names = "--schema-registry-url",
      description =
          "The schema registry of results written as confluent-avro (output.schema-registry.url);"
              + " single-object Avro and JSON need none.")
  String schemaRegistryUrl;

  @Option(names = "--max", description = "Stop after this many results.")
  Long max;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "30",
      description = "Stop when nothing arrives for this long (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    AnyFormatDecoder<TagResult> codec;
    try {
      codec =
          AnyFormatDecoder.of(
              TagResult.class,
              schemaRegistryUrl == null ? null : SchemaRegistrySettings.of(schemaRegistryUrl));
    } catch (IllegalArgumentException e) {
      throw new UserError("--schema-registry-url: " + e.getMessage(), e);
    }
    ObjectMapper json = new ObjectMapper();
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> config = kafka.clientConfig();
    config.put("group.id", "clipstream-consume-" + System.nanoTime());
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    config.put("key.deserializer", ByteArrayDeserializer.class);
    config.put("value.deserializer", ByteArrayDeserializer.class);
    long seen = 0;
    long idleSince = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      while ((max == null || seen < max)
          && System.nanoTime() - idleSince < Duration.ofSeconds(timeoutSeconds).toNanos()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          idleSince = System.nanoTime();
          DecodeResult<TagResult> decoded = codec.decode(r.value());
          if (decoded instanceof DecodeResult.Failed<TagResult> failed) {
            spec.commandLine().getErr().printf("offset %d: %s%n", r.offset(), failed.error());
            continue;
          }
          out.println(json.writeValueAsString(line(json, decoded.value())));
          out.flush();
          seen++;
          if (max != null && seen >= max) {
            break;
          }
        }
      }
    }
    return 0;
  }

  private static ObjectNode line(ObjectMapper json, TagResult tag) {
    ObjectNode row = json.createObjectNode();
    row.put("eventId", tag.getEventId());
    row.put("modelVersion", tag.getModelVersion());
    row.put("labelSet", tag.getLabelSet() + "@" + tag.getLabelSetVersion());
    var labels = row.putArray("labels");
    for (LabelScore l : tag.getLabels()) {
      labels.addObject().put("label", l.getLabel()).put("score", l.getScore());
    }
    if (tag.getCaptionSimilarity() != null) {
      row.put("captionSimilarity", tag.getCaptionSimilarity());
    }
    row.put(
        "latencyMs", tag.getProcessingTime().toEpochMilli() - tag.getEventTime().toEpochMilli());
    return row;
  }
}
