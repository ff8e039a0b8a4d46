package dev.clipstream.model;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The reference model's files, copied from OpenAI's code into the test resources. */
final class ReferenceFixtures {
  private ReferenceFixtures() {}

  static Path weights() {
    return resource("weights.safetensors");
  }

  static Path torchScript() {
    return resource("model.torchscript.pt");
  }

  static Path io() {
    return resource("io.safetensors");
  }

  static Path config() {
    return resource("config.json");
  }

  private static Path resource(String name) {
    return resource("reference", name);
  }

  /** A file of one of the reference folders ({@code reference-resnet}, ...). */
  static Path resource(String folder, String name) {
    try {
      return Path.of(
          ReferenceFixtures.class
              .getResource("/dev/clipstream/model/" + folder + "/" + name)
              .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
