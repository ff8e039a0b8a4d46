package dev.clipstream.model.zeroshot;

import java.io.Serializable;
import java.util.List;

/** A class to recognise: its name and, optionally, its own prompts (else the set's templates). */
public record Label(String name, List<String> prompts) implements Serializable {
  public Label {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a label needs a name");
    }
    prompts = List.copyOf(prompts);
  }

  /** A label described by the label set's templates. */
  public static Label named(String name) {
    return new Label(name, List.of());
  }
}
