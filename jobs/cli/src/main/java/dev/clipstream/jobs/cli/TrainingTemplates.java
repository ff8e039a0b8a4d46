package dev.clipstream.jobs.cli;

import dev.clipstream.model.zeroshot.PromptTemplates;
import java.util.ArrayList;
import java.util.List;

/**
 * The caption templates {@code clipstream train} writes its generated captions with: the zero-shot
 * defaults ({@link PromptTemplates#DEFAULT}) plus plainer phrasings.
 */
final class TrainingTemplates {

  /** All of them, the zero-shot defaults first. */
  static final List<String> ALL;

  static {
    List<String> t = new ArrayList<>(PromptTemplates.DEFAULT);
    t.addAll(
        List.of(
            "a {}",
            "{}",
            "a picture of a {}.",
            "a {} on a plain background.",
            "a catalogue photo of a {}."));
    ALL = List.copyOf(t);
  }

  private TrainingTemplates() {}
}
