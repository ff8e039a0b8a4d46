package dev.clipstream.jobs.soak;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One reading of the process: seconds since the start, events produced and processed (results and
 * dead letters read back) so far, the heap, the resident set in all and its anonymous part, the
 * JVM's direct buffers, its code cache and class metadata, and the open files. Values the platform
 * does not offer read -1.
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
    long codeAndMetaspaceBytes,
    long openFiles) {

  /**
   * What the verdict judges: the anonymous resident set less the JIT's code cache and the class
   * metadata, which the JVM keeps growing for minutes as it compiles (9 MiB of code and 3 MiB of
   * metaspace between the first and the second minute of a CI soak, by Native Memory Tracking) and
   * bounds itself ({@code ReservedCodeCacheSize}, {@code MaxMetaspaceSize}); both are sampled.
   */
  public long judgedBytes() {
    return rssAnonBytes - codeAndMetaspaceBytes;
  }

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
        readCodeAndMetaspaceBytes(),
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

  /** Committed bytes of the JVM's non-heap pools: the code heaps, metaspace, class space. */
  static long readCodeAndMetaspaceBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.NON_HEAP) {
        sum += pool.getUsage().getCommitted();
      }
    }
    return sum;
  }

  static long countOpenFiles() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      return -1;
    }
  }
}
