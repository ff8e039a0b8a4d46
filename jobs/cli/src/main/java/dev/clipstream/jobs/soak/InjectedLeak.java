package dev.clipstream.jobs.soak;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberate native leak, the test of the soak's own verdict: for every event processed it keeps
 * a direct buffer of the given size (malloc'd and zeroed, so its pages are resident) in the same
 * process as the job, as an NDArray that is never closed would. Off (size 0) in real runs.
 */
final class InjectedLeak {
  private final int bytesPerEvent;
  private final List<ByteBuffer> kept = new ArrayList<>();

  InjectedLeak(int bytesPerEvent) {
    this.bytesPerEvent = bytesPerEvent;
  }

  void onEvent() {
    if (bytesPerEvent > 0) {
      kept.add(ByteBuffer.allocateDirect(bytesPerEvent));
    }
  }

  long heldBytes() {
    return (long) kept.size() * bytesPerEvent;
  }
}
