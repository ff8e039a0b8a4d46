package dev.clipstream.jobs.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** A Lucene commit's sequence number, as the committable and as the writer's state. */
final class CommitSequenceSerializer implements SimpleVersionedSerializer<Long> {

  @Override
  public int getVersion() {
    return 1;
  }

  @Override
  public byte[] serialize(Long sequence) {
    return ByteBuffer.allocate(Long.BYTES).putLong(sequence).array();
  }

  @Override
  public Long deserialize(int version, byte[] serialized) throws IOException {
    if (version != 1 || serialized.length != Long.BYTES) {
      throw new IOException(
          "unknown commit sequence encoding (version "
              + version
              + ", "
              + serialized.length
              + " bytes)");
    }
    return ByteBuffer.wrap(serialized).getLong();
  }
}
