package dev.clipstream.model.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects tensors and writes them as one safetensors file, atomically (see {@link AtomicFiles}),
 * returning the SHA-256 of what was written.
 */
public final class SafeTensorsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The header is padded with spaces to this alignment so the data starts aligned. */
  private static final int HEADER_ALIGNMENT = 8;

  private record Pending(String name, DType dtype, long[] shape, byte[] bytes) {}

  private final List<Pending> tensors = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds float values stored as {@code dtype} (F32, F16 or BF16). */
  public SafeTensorsWriter add(String name, DType dtype, long[] shape, float[] values) {
    ByteBuffer out =
        ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      switch (dtype) {
        case F32 -> out.putFloat(v);
        case F16 -> out.putShort(HalfFloats.floatToHalf(v));
        case BF16 -> out.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        default -> throw new IllegalArgumentException("cannot store floats as " + dtype);
      }
    }
    return addRaw(name, dtype, shape, out.array());
  }

  /** Adds 64-bit integers. */
  public SafeTensorsWriter add(String name, long[] shape, long[] values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    out.asLongBuffer().put(values);
    return addRaw(name, DType.I64, shape, out.array());
  }

  /** Adds already encoded little-endian bytes. */
  public SafeTensorsWriter addRaw(String name, DType dtype, long[] shape, byte[] bytes) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count * dtype.bytes() != bytes.length) {
      throw new IllegalArgumentException(
          name + ": " + bytes.length + " bytes do not fit its shape");
    }
    tensors.add(new Pending(name, dtype, shape.clone(), bytes));
    return this;
  }

  /** Adds a {@code __metadata__} entry. */
  public SafeTensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** Writes the file atomically and returns the lower-case hex SHA-256 of its bytes. */
  public String write(Path file) throws IOException {
    return AtomicFiles.write(file, this::writeTo);
  }

  /** Serialises to a stream (used by {@link #write(Path)}). */
  public void writeTo(OutputStream out) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Pending t : tensors) {
      ObjectNode entry = header.putObject(t.name());
      entry.put("dtype", t.dtype().name());
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(offset + t.bytes().length);
      offset += t.bytes().length;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + HEADER_ALIGNMENT - 1) / HEADER_ALIGNMENT * HEADER_ALIGNMENT;
    ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(padded).put(json);
    while (prefix.hasRemaining()) {
      prefix.put((byte) ' ');
    }
    out.write(prefix.array());
    for (Pending t : tensors) {
      out.write(t.bytes());
    }
  }

  /** Lower-case hex of a digest. */
  static String hex(MessageDigest digest) {
    StringBuilder s = new StringBuilder();
    for (byte b : digest.digest()) {
      s.append(String.format("%02x", b));
    }
    return s.toString();
  }
}
