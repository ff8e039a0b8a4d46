package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.io.ImageFolder;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream produce}: a folder of images to the input topic as ImageEvents. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description =
        "Send every image of a folder (captions from sidecar .txt files) to Kafka as single-object Avro ImageEvents.")
final class ProduceCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--input",
      required = true,
      description =
          "Folder of PNG, JPEG, GIF, BMP, TIFF or WebP files; any other file is named as not sent.")
  Path input;

  @Option(
      names = "--topic",
      description = "Topic to write (default: the tagging job's input topic).")
  String topic = TaggingOptions.INPUT_TOPIC.defaultValue();

  @Option(
      names = "--source",
      defaultValue = "clipstream-produce",
      description = "The events' source field.")
  String source;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(input)) {
      throw new UserError(input + ": no such directory");
    }
    ImageFolder.Listing listing = ImageFolder.scan(input);
    List<Path> images = listing.images();
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    Map<String, Object> config = kafka.clientConfig();
    config.put("acks", "all");
    config.put("key.serializer", ByteArraySerializer.class);
    config.put("value.serializer", ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (Path image : images) {
        ImageEvent event = ImageFolder.event(image, source);
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    event.getEventId().getBytes(StandardCharsets.UTF_8),
                    codec.encode(event)))
            .get();
      }
    }
    java.io.PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "sent %d images (%d with captions) from %s to %s%n",
        images.size(), listing.captioned(), input, topic);
    listing.notSent().forEach(out::println);
    out.flush();
    return 0;
  }
}
