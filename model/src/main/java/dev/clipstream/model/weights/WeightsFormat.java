package dev.clipstream.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/** What a weights file is, judged by its content rather than its name. */
public enum WeightsFormat {
  /** A safetensors file: a little-endian header length, then a JSON object. */
  SAFETENSORS,
  /** A TorchScript archive ({@code torch.jit.save}): a zip holding compiled code and tensors. */
  TORCHSCRIPT,
  /**
   * A {@code torch.save} pickle checkpoint in PyTorch's zip layout, which holds no code entries.
   */
  PYTORCH_PICKLE,
  /** Anything else. */
  UNKNOWN;

  /** The four bytes every zip file (and so every PyTorch archive) starts with. */
  private static final int ZIP_MAGIC = 0x04034b50;

  /** Reads the first bytes (and, for a zip, its entry names) to tell the format. */
  public static WeightsFormat detect(Path file) throws IOException {
    byte[] head = new byte[9];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, head.length);
    }
    ByteBuffer bytes = ByteBuffer.wrap(head, 0, read).order(ByteOrder.LITTLE_ENDIAN);
    if (read >= 4 && bytes.getInt(0) == ZIP_MAGIC) {
      return hasTorchScriptCode(file) ? TORCHSCRIPT : PYTORCH_PICKLE;
    }
    if (read == head.length && bytes.getLong(0) > 0 && head[8] == '{') {
      return SAFETENSORS;
    }
    return UNKNOWN;
  }

  /** TorchScript archives carry their compiled methods under {@code <name>/code/}. */
  private static boolean hasTorchScriptCode(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.stream().anyMatch(entry -> entry.getName().contains("/code/"));
    }
  }
}
