package dev.clipstream.jobs.cli;

import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clipstream examples}: labelled images that teach running tagging jobs a label. */
@Command(
    name = "examples",
    mixinStandardHelpOptions = true,
    description = "Examples that teach labels to running tagging jobs (topics.examples).",
    subcommands = {ExamplesCommand.Publish.class, CommandLine.HelpCommand.class})
final class ExamplesCommand {

  /** {@code clipstream examples publish}: image files as examples of one label. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Publish image files as examples of a label: a tagging job reading the topic adds them to"
              + " the label's prototype (a label with no prompt is taught by examples alone).")
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin KafkaClientOptions kafka;

    @Option(names = "--label", required = true, description = "The label the images show.")
    String label;

    @Option(names = "--topic", description = "The examples topic (default: ${DEFAULT-VALUE}).")
    String topic = "examples";

    @Option(
        names = "--source",
        description = "The events' source field (default: ${DEFAULT-VALUE}).")
    String source = "clipstream-examples";

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, ...).")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
      if (label.isBlank()) {
        throw new UserError("--label must not be blank");
      }
      SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
      for (Path file : files) {
        byte[] image = Files.readAllBytes(CliFiles.readable(file));
        // Keyed by label and content: the compacted topic keeps one record per example.
        String id =
            "example-"
                + HexFormat.of()
                    .formatHex(
                        MessageDigest.getInstance("SHA-256")
                            .digest(
                                (label + "\n" + HexFormat.of().formatHex(image))
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .substring(0, 32);
        ImageEvent event =
            ImageEvent.newBuilder()
                .setEventId(id)
                .setEventTime(Instant.now())
                .setSource(source)
                .setImage(ByteBuffer.wrap(image))
                .setContentType(contentType(file))
                .setLabel(label)
                .build();
        kafka.sendOne(topic, id, codec.encode(event));
      }
      spec.commandLine()
          .getOut()
          .printf("published %d examples of '%s' to %s%n", files.size(), label, topic);
      spec.commandLine().getOut().flush();
      return 0;
    }

    private static String contentType(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".png")) {
        return "image/png";
      } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
        return "image/jpeg";
      } else if (name.endsWith(".gif")) {
        return "image/gif";
      } else if (name.endsWith(".webp")) {
        return "image/webp";
      }
      return "application/octet-stream";
    }
  }
}
