package dev.clipstream.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** File checks shared by the commands, so a missing file is one line, not a stack trace. */
final class CliFiles {
  private CliFiles() {}

  /** The path, if it is a readable regular file. */
  static Path readable(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new UserError(path + ": no such file");
    }
    if (!Files.isReadable(path)) {
      throw new UserError(path + ": not readable");
    }
    return path;
  }

  /** The path, if it is a readable regular file or folder (Hugging Face and open_clip layouts). */
  static Path checkpoint(Path path) {
    if (Files.isDirectory(path)) {
      return path;
    }
    return readable(path);
  }
}
