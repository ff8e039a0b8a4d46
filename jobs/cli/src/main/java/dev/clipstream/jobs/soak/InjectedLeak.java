package dev.clipstream.jobs.soak;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberate native leak, the test of the soak's own verdict: for every event processed it writes
 * the next {@code bytesPerEvent} bytes of native memory that is never freed, in the same process as
 * the job, as an NDArray that is never closed would hold its data. Off (size 0) in real runs.
 *
 * <p>The memory comes in regions of {@link #REGION_BYTES} reserved by {@code malloc} but not
 * written (above glibc's largest mmap threshold, so fresh pages of their own that are not resident
 * until touched); each event writes its share, so the resident set grows by exactly that many bytes
 * per event, a page at a time. An earlier version kept a small zeroed direct buffer per event;
 * malloc served those from free chunks the job's own allocations had left resident, so a leak of 1
 * KiB per event could hide for thousands of events (one CI run's leaking soak passed its verdict).
 */
final class InjectedLeak {

  /** Bytes reserved at a time: 64 MiB, above glibc's 32 MiB maximum mmap threshold. */
  static final long REGION_BYTES = 64L << 20;

  private final int bytesPerEvent;
  private final List<Long> regions = new ArrayList<>();
  private long used = REGION_BYTES;
  private long held;

  InjectedLeak(int bytesPerEvent) {
    if (bytesPerEvent < 0 || bytesPerEvent > REGION_BYTES) {
      throw new IllegalArgumentException("leak bytes per event out of range: " + bytesPerEvent);
    }
    this.bytesPerEvent = bytesPerEvent;
  }

  void onEvent() {
    if (bytesPerEvent == 0) {
      return;
    }
    if (used + bytesPerEvent > REGION_BYTES) {
      regions.add(UNSAFE.allocateMemory(REGION_BYTES));
      used = 0;
    }
    long base = regions.get(regions.size() - 1);
    UNSAFE.setMemory(base + used, bytesPerEvent, (byte) 1);
    used += bytesPerEvent;
    held += bytesPerEvent;
  }

  /** Bytes written so far: what the leak has added to the resident set. */
  long heldBytes() {
    return held;
  }

  private static final sun.misc.Unsafe UNSAFE = unsafe();

  private static sun.misc.Unsafe unsafe() {
    try {
      Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("sun.misc.Unsafe is not available for the test leak", e);
    }
  }
}
