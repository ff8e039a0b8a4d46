package dev.clipstream.jobs.control;

import dev.clipstream.jobs.io.CapDeadLetterPayload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** The control plane's settings: who may change the job, how much one message may ask of it. */
public final class ControlOptions {
  private ControlOptions() {}

  public static final ConfigOption<Boolean> REQUIRE_SIGNATURES =
      ConfigOptions.key("control.require-signatures")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Refuse label sets and model updates that carry no signature (a present but"
                  + " untrusted or forged signature is refused either way).");

  public static final ConfigOption<List<String>> TRUSTED_KEYS =
      ConfigOptions.key("control.trusted-keys")
          .stringType()
          .asList()
          .defaultValues()
          .withDescription(
              "Ed25519 public keys (PEM files, ';'-separated) whose signatures the tagging job"
                  + " accepts; several for a rotation.");

  public static final ConfigOption<String> SIGNING_KEY =
      ConfigOptions.key("control.signing-key")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Ed25519 private key (PKCS#8 PEM file) the continual-training job signs its model"
                  + " updates with; read on the TaskManager. Empty: updates go out unsigned.");

  public static final ConfigOption<Integer> MAX_MESSAGE_BYTES =
      ConfigOptions.key("control.max-message-bytes")
          .intType()
          .defaultValue(ControlLimits.defaults().maxMessageBytes())
          .withDescription("Largest control record (bytes) read at all.");

  public static final ConfigOption<Integer> MAX_LABELS =
      ConfigOptions.key("control.max-labels")
          .intType()
          .defaultValue(ControlLimits.defaults().maxLabels())
          .withDescription("Most labels in one label set.");

  public static final ConfigOption<Integer> MAX_PROMPTS_PER_LABEL =
      ConfigOptions.key("control.max-prompts-per-label")
          .intType()
          .defaultValue(ControlLimits.defaults().maxPromptsPerLabel())
          .withDescription("Most prompts of one label.");

  public static final ConfigOption<Integer> MAX_TEMPLATES =
      ConfigOptions.key("control.max-templates")
          .intType()
          .defaultValue(ControlLimits.defaults().maxTemplates())
          .withDescription("Most prompt templates of one label set.");

  public static final ConfigOption<Integer> DEAD_LETTER_MAX_PAYLOAD_BYTES =
      ConfigOptions.key("dead-letters.max-payload-bytes")
          .intType()
          .defaultValue(CapDeadLetterPayload.DEFAULT_MAX_PAYLOAD_BYTES)
          .withDescription(
              "Most bytes of a rejected record a dead letter keeps; a cut letter records the"
                  + " original size.");

  /**
   * The policy a configuration describes; the trusted keys are read here, where the job is built.
   *
   * @throws IllegalArgumentException with a one-line reason when a key file cannot be read
   */
  public static ControlPolicy policy(ReadableConfig config) {
    List<Path> files =
        config.get(TRUSTED_KEYS).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(Path::of)
            .toList();
    TrustedKeys trusted;
    try {
      trusted = new TrustedKeys(ControlKeys.readPublic(files));
    } catch (IOException e) {
      throw new IllegalArgumentException(TRUSTED_KEYS.key() + ": " + e.getMessage(), e);
    }
    return new ControlPolicy(
        config.get(REQUIRE_SIGNATURES),
        trusted,
        new ControlLimits(
            config.get(MAX_MESSAGE_BYTES),
            config.get(MAX_LABELS),
            config.get(MAX_PROMPTS_PER_LABEL),
            config.get(MAX_TEMPLATES)));
  }
}
