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
    try {
      return Path.of(
          ReferenceFixtures.class.getResource("/dev/clipstream/model/reference/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
