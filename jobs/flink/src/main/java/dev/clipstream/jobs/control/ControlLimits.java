package dev.clipstream.jobs.control;

import dev.clipstream.schemas.LabelDefinition;
import dev.clipstream.schemas.LabelSetDefinition;
import java.io.Serializable;

/**
 * How large a control message may be. A label set is embedded by every encoder (one text-encoder
 * pass per prompt), so its size is work the publisher makes every TaskManager do: bounded here
 * before any of it is spent.
 */
public record ControlLimits(
    int maxMessageBytes, int maxLabels, int maxPromptsPerLabel, int maxTemplates)
    implements Serializable {

  /** 1 MiB, 10,000 labels, 64 prompts per label, 100 templates. */
  public static ControlLimits defaults() {
    return new ControlLimits(1 << 20, 10_000, 64, 100);
  }

  /** Why the record's bytes are too many; null when they are not. */
  public String problemWithSize(int bytes) {
    return bytes > maxMessageBytes
        ? "control message of " + bytes + " bytes is over the limit of " + maxMessageBytes
        : null;
  }

  /** Why a label set is too large; null when it is within every limit. */
  public String problemWith(LabelSetDefinition definition) {
    String name = definition.getName().toString();
    if (definition.getLabels().size() > maxLabels) {
      return "label set '"
          + name
          + "' has "
          + definition.getLabels().size()
          + " labels, over the limit of "
          + maxLabels;
    }
    if (definition.getTemplates().size() > maxTemplates) {
      return "label set '"
          + name
          + "' has "
          + definition.getTemplates().size()
          + " templates, over the limit of "
          + maxTemplates;
    }
    for (LabelDefinition label : definition.getLabels()) {
      if (label.getPrompts().size() > maxPromptsPerLabel) {
        return "label '"
            + label.getName()
            + "' of set '"
            + name
            + "' has "
            + label.getPrompts().size()
            + " prompts, over the limit of "
            + maxPromptsPerLabel;
      }
    }
    return null;
  }
}
