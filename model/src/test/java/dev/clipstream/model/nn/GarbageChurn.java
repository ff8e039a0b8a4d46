package dev.clipstream.model.nn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Makes the JVM free collectable direct buffers and reuse their memory, as a busy job would. */
public final class GarbageChurn {

  private static final int GC_ROUNDS = 3;
  private static final int SMALL_BUFFERS = 20_000;

  /** What freed memory then holds: a read after free turns into a NaN that tests can see. */
  private static final float JUNK = Float.NaN;

  private GarbageChurn() {}

  /** Collects garbage, then fills many small fresh direct buffers with NaN. */
  public static List<ByteBuffer> run() throws InterruptedException {
    for (int i = 0; i < GC_ROUNDS; i++) {
      System.gc();
      Thread.sleep(20); // lets the Cleaner thread free the collected buffers' native memory
    }
    List<ByteBuffer> junk = new ArrayList<>();
    for (int i = 0; i < SMALL_BUFFERS; i++) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(Float.BYTES);
      buffer.putFloat(0, JUNK);
      junk.add(buffer);
    }
    return junk;
  }
}
