package dev.clipstream.jobs.cli;

import dev.clipstream.jobs.control.ControlSigner;
import dev.clipstream.jobs.control.LabelSetDefinitions;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.model.zeroshot.Label;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.PromptTemplates;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clipstream labels}: label sets on the compacted control topic. */
@Command(
    name = "labels",
    mixinStandardHelpOptions = true,
    description = "Label sets of running tagging jobs.",
    subcommands = {LabelsCommand.Publish.class, CommandLine.HelpCommand.class})
final class LabelsCommand {

  /** {@code clipstream labels publish}: a new label-set version, taken up without a restart. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Publish a version of a label set; tagging jobs labelling with that set switch to it at"
              + " their next batch.")
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin KafkaClientOptions kafka;

    @Mixin SigningKeyOption signing;

    @Option(names = "--name", description = "The label set's name (default: ${DEFAULT-VALUE}).")
    String name = TaggingOptions.LABEL_SET.defaultValue();

    @Option(
        names = "--version",
        required = true,
        description = "Its new version; must be higher than the one in use.")
    long version;

    @Option(
        names = "--labels",
        required = true,
        split = ",",
        description = "The labels, comma-separated.")
    List<String> labels;

    @Option(
        names = "--template",
        description = "A prompt template with {} for the label; repeatable (default: CLIP's 8).")
    List<String> templates = new ArrayList<>();

    @Option(names = "--topic", description = "The label-sets topic (default: ${DEFAULT-VALUE}).")
    String topic = TaggingOptions.LABEL_SETS_TOPIC.defaultValue();

    @Override
    public Integer call() throws Exception {
      LabelSet set;
      try {
        set =
            new LabelSet(
                name,
                version,
                labels.stream().map(String::strip).map(Label::named).toList(),
                templates.isEmpty() ? PromptTemplates.DEFAULT : templates);
        if (version < 1) {
          throw new IllegalArgumentException("versions start at 1");
        }
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), e);
      }
      LabelSetDefinition definition = LabelSetDefinitions.of(set);
      ControlSigner signer = signing.signer(spec.commandLine().getErr());
      if (signer != null) {
        signer.sign(definition);
      }
      kafka.sendOne(topic, name, SingleObjectCodec.of(LabelSetDefinition.class).encode(definition));
      spec.commandLine()
          .getOut()
          .printf(
              "published label set %s v%d (%d labels) to %s%n",
              name, version, labels.size(), topic);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
