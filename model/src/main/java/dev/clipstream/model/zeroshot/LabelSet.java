package dev.clipstream.model.zeroshot;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A versioned set of labels and the prompt templates that describe them. A new version of the same
 * name replaces the old one in a running job; results say which version labelled them.
 */
public record LabelSet(String name, long version, List<Label> labels, List<String> templates)
    implements Serializable {

  public LabelSet {
    labels = List.copyOf(labels);
    templates = List.copyOf(templates);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("label set '" + name + "' has no labels");
    }
    Set<String> seen = new HashSet<>();
    for (Label label : labels) {
      if (!seen.add(label.name())) {
        throw new IllegalArgumentException(
            "label set '" + name + "' names '" + label.name() + "' twice");
      }
      if (label.prompts().isEmpty() && templates.isEmpty()) {
        throw new IllegalArgumentException(
            "label '" + label.name() + "' has no prompts and the set no templates");
      }
    }
    templates.forEach(t -> PromptTemplates.fill(t, "x"));
  }

  /** Labels by name with the default templates. */
  public static LabelSet of(String name, long version, List<String> labelNames) {
    return new LabelSet(
        name, version, labelNames.stream().map(Label::named).toList(), PromptTemplates.DEFAULT);
  }

  /** The prompts of one label: its own, or the templates filled with its name. */
  public List<String> promptsOf(Label label) {
    if (!label.prompts().isEmpty()) {
      return label.prompts();
    }
    return templates.stream().map(t -> PromptTemplates.fill(t, label.name())).toList();
  }

  /** The label names in order. */
  public List<String> names() {
    return labels.stream().map(Label::name).toList();
  }
}
