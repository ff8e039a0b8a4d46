package dev.clipstream.jobs.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The resident set from {@code /proc/self/status}: {@code VmRSS} (all of it) and {@code RssAnon}
 * (anonymous pages: heap, malloc, PyTorch's tensors). The rest, {@code RssFile}, is mapped files
 * (libtorch, jars) whose pages come in as new code runs and may be dropped again: no leak shows
 * there, so the verdict reads the anonymous part.
 */
record ProcStatus(long rssBytes, long rssAnonBytes) {

  static ProcStatus read() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/self/status")));
    } catch (IOException e) {
      return new ProcStatus(-1, -1); // not Linux
    }
  }

  static ProcStatus parse(List<String> lines) {
    return new ProcStatus(kibibytes(lines, "VmRSS:"), kibibytes(lines, "RssAnon:"));
  }

  private static long kibibytes(List<String> lines, String field) {
    for (String line : lines) {
      if (line.startsWith(field)) {
        // "VmRSS:	 1234567 kB"
        String digits = line.substring(field.length()).replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits) * 1024;
      }
    }
    return -1;
  }
}
