package dev.clipstream.jobs.soak;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One reading of the process: seconds since the start, events produced and processed (results and
 * dead letters read back) so far, the heap, the resident set in all and its anonymous part, the
 * JVM's direct buffers and the open files. Values the platform does not offer read -1.
 */
public record MemorySample(
    double seconds,
    long produced,
    long processed,
    long heapBytes,
    long heapCommittedBytes,
    long rssBytes,
    long rssAnonBytes,
    long directBytes,
    long openFiles) {

  /** Reads the process now (Linux: /proc/self for the resident set and the open files). */
  public static MemorySample take(long startNanos, long produced, long processed) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    ProcStatus status = ProcStatus.read();
    return new MemorySample(
        (System.nanoTime() - startNanos) / 1e9,
        produced,
        processed,
        heap.getUsed(),
        heap.getCommitted(),
        status.rssBytes(),
        status.rssAnonBytes(),
        readDirectBytes(),
        countOpenFiles());
  }

  /** Memory held by direct {@code ByteBuffer}s (Kafka, Flink's network buffers, ...). */
  static long readDirectBytes() {
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        return pool.getMemoryUsed();
      }
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
