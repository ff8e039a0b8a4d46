package dev.clipstream.model.checkpoint;

import dev.clipstream.model.nn.Activation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The MLP activation an OpenAI TorchScript archive's own code names: its modules are typed by
 * class, so a QuickGELU model's code declares {@code QuickGELU} members and an exact-GELU model's
 * {@code torch.nn.modules.activation.GELU}. The code is read as text, never run.
 */
final class TorchScriptActivation {

  private static final String QUICK_GELU_CLASS = "QuickGELU";
  private static final String GELU_CLASS = "torch.nn.modules.activation.GELU";

  private TorchScriptActivation() {}

  /** The activation the archive's code declares, or empty when it names neither or both. */
  static Optional<Activation> read(Path archive) throws IOException {
    boolean quick = false;
    boolean exact = false;
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (!entry.getName().contains("/code/") || !entry.getName().endsWith(".py")) {
          continue;
        }
        String code;
        try (InputStream in = zip.getInputStream(entry)) {
          code = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        quick |= code.contains(QUICK_GELU_CLASS);
        exact |= code.contains(GELU_CLASS);
      }
    }
    if (quick == exact) {
      return Optional.empty();
    }
    return Optional.of(quick ? Activation.QUICK_GELU : Activation.GELU);
  }
}
