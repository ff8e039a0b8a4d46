package dev.clipstream.jobs.control;

import dev.clipstream.model.zeroshot.Label;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.PromptTemplates;
import dev.clipstream.schemas.LabelDefinition;
import dev.clipstream.schemas.LabelSetDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Converts between the label-sets topic's records and the model's {@link LabelSet}. */
public final class LabelSetDefinitions {
  private LabelSetDefinitions() {}

  /**
   * The label set a definition describes (no templates: CLIP's default ensemble).
   *
   * @throws IllegalArgumentException with a one-line reason when the definition is not usable
   */
  public static LabelSet toLabelSet(LabelSetDefinition definition) {
    String name = definition.getName().toString();
    if (name.isBlank()) {
      throw new IllegalArgumentException("a label set needs a name");
    }
    if (definition.getVersion() < 1) {
      throw new IllegalArgumentException(
          "label set '"
              + name
              + "' has version "
              + definition.getVersion()
              + "; versions start at 1");
    }
    List<Label> labels = new ArrayList<>();
    for (LabelDefinition label : definition.getLabels()) {
      labels.add(
          new Label(
              label.getName().toString().strip(),
              label.getPrompts().stream().map(CharSequence::toString).toList()));
    }
    List<String> templates =
        definition.getTemplates().isEmpty()
            ? PromptTemplates.DEFAULT
            : definition.getTemplates().stream().map(CharSequence::toString).toList();
    return new LabelSet(name, definition.getVersion(), labels, templates);
  }

  /** The record that publishes {@code set}. */
  public static LabelSetDefinition of(LabelSet set) {
    List<LabelDefinition> labels = new ArrayList<>();
    for (Label label : set.labels()) {
      labels.add(new LabelDefinition(label.name(), new ArrayList<>(label.prompts())));
    }
    return LabelSetDefinition.newBuilder()
        .setName(set.name())
        .setVersion(set.version())
        .setLabels(labels)
        .setTemplates(new ArrayList<>(set.templates()))
        .setCreatedTime(Instant.now())
        .build();
  }
}
