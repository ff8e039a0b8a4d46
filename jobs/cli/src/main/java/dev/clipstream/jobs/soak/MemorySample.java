package dev.clipstream.jobs.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** One reading of the process: seconds since the start, heap used, resident set, open files. */
public record MemorySample(double seconds, long heapBytes, long rssBytes, long openFiles) {

  /** Reads the process now (Linux: /proc/self for the resident set and the open files). */
  public static MemorySample take(long startNanos) {
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return new MemorySample(
        (System.nanoTime() - startNanos) / 1e9, heap, residentBytes(), countOpenFiles());
  }

  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: no reading
    }
    return -1;
  }

  static long countOpenFiles() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      return -1;
    }
  }
}
