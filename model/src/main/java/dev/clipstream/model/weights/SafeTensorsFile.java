package dev.clipstream.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-only view of a safetensors file: an 8-byte little-endian header length, a JSON header,
 * then raw little-endian tensor data. Every header entry is checked against the data before use.
 */
public final class SafeTensorsFile {

  /** Headers larger than this are refused before parsing (the format's own reference limit). */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;
  private final MappedPieces data;

  private SafeTensorsFile(
      Map<String, TensorInfo> tensors, Map<String, String> metadata, MappedPieces data) {
    this.tensors = tensors;
    this.metadata = metadata;
    this.data = data;
  }

  /**
   * Maps and validates a file of any size (mapped in pieces, see {@link MappedPieces}); throws
   * {@link SafeTensorsFormatException} if it is malformed.
   */
  public static SafeTensorsFile read(Path file) throws IOException {
    return read(file, MappedPieces.DEFAULT_PIECE_BYTES);
  }

  /** As {@link #read(Path)} with pieces of at most {@code pieceBytes} (small in tests). */
  static SafeTensorsFile read(Path file, long pieceBytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      try {
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, head, 0);
        long headerLength = requireHeaderLength(head.getLong(0), size);
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(channel, header, 8);
        long dataStart = 8 + headerLength;
        MappedPieces data = MappedPieces.map(channel, dataStart, size - dataStart, pieceBytes);
        return parse(header.array(), data);
      } catch (SafeTensorsFormatException e) {
        throw new SafeTensorsFormatException(file + ": " + e.getMessage(), e);
      }
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position)
      throws IOException {
    if (channel.size() < position + into.remaining()) {
      throw new SafeTensorsFormatException("too short for a safetensors header");
    }
    while (into.hasRemaining()) {
      if (channel.read(into, position + into.position()) < 0) {
        throw new SafeTensorsFormatException("too short for a safetensors header");
      }
    }
  }

  private static long requireHeaderLength(long headerLength, long size) {
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
      throw new SafeTensorsFormatException("header length " + headerLength + " is not plausible");
    }
    return headerLength;
  }

  /** Validates bytes already in memory. */
  public static SafeTensorsFile read(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (buffer.remaining() < 8) {
      throw new SafeTensorsFormatException("too short for a safetensors header");
    }
    long headerLength = requireHeaderLength(buffer.getLong(0), bytes.length);
    byte[] header = new byte[(int) headerLength];
    buffer.position(8);
    buffer.get(header);
    return parse(header, MappedPieces.wrap(buffer.slice()));
  }

  private static SafeTensorsFile parse(byte[] header, MappedPieces data) {
    JsonNode root;
    try {
      root = JSON.readTree(new String(header, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new SafeTensorsFormatException("header is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new SafeTensorsFormatException("header is not a JSON object");
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("__metadata__")) {
        field
            .getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
      } else {
        tensors.put(field.getKey(), entry(field.getKey(), field.getValue(), data.length()));
      }
    }
    return new SafeTensorsFile(
        Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata), data);
  }

  private static TensorInfo entry(String name, JsonNode node, long dataLength) {
    JsonNode dtype = node.get("dtype");
    JsonNode shape = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtype == null
        || shape == null
        || !shape.isArray()
        || offsets == null
        || offsets.size() != 2) {
      throw new SafeTensorsFormatException("tensor '" + name + "' lacks dtype, shape or offsets");
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).asLong(-1);
      if (dims[i] < 0) {
        throw new SafeTensorsFormatException("tensor '" + name + "' has a negative dimension");
      }
    }
    TensorInfo info =
        new TensorInfo(
            name,
            DType.parse(dtype.asText()),
            dims,
            offsets.get(0).asLong(),
            offsets.get(1).asLong());
    long expected = Math.multiplyExact(info.elementCount(), info.dtype().bytes());
    if (info.begin() < 0 || info.end() > dataLength || info.end() - info.begin() != expected) {
      throw new SafeTensorsFormatException(
          "tensor '"
              + name
              + "' "
              + info.shapeText()
              + " "
              + info.dtype()
              + " does not fit bytes ["
              + info.begin()
              + ", "
              + info.end()
              + ") of "
              + dataLength);
    }
    return info;
  }

  /** The tensors in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** The header's {@code __metadata__} strings. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The entry of one tensor, or a clear error naming it. */
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new SafeTensorsFormatException("no tensor named '" + name + "'");
    }
    return info;
  }

  /** The tensor's raw little-endian bytes. */
  public ByteBuffer raw(String name) {
    TensorInfo info = info(name);
    return data.slice(info.begin(), info.end() - info.begin());
  }

  /** The tensor's values widened to float, whatever its floating-point dtype. */
  public float[] floats(String name) {
    TensorInfo info = info(name);
    ByteBuffer raw = raw(name);
    float[] out = new float[Math.toIntExact(info.elementCount())];
    switch (info.dtype()) {
      case F32 -> raw.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = HalfFloats.halfToFloat(raw.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = HalfFloats.bfloat16ToFloat(raw.getShort(2 * i));
        }
      }
      case F64 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = (float) raw.getDouble(8 * i);
        }
      }
      default ->
          throw new SafeTensorsFormatException(
              "tensor '" + name + "' is " + info.dtype() + ", not floating point");
    }
    return out;
  }

  /** The tensor's values as longs, for integer dtypes. */
  public long[] longs(String name) {
    TensorInfo info = info(name);
    ByteBuffer raw = raw(name);
    long[] out = new long[Math.toIntExact(info.elementCount())];
    switch (info.dtype()) {
      case I64 -> raw.asLongBuffer().get(out);
      case I32 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = raw.getInt(4 * i);
        }
      }
      case U8 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = raw.get(i) & 0xff;
        }
      }
      default ->
          throw new SafeTensorsFormatException(
              "tensor '" + name + "' is " + info.dtype() + ", not an integer type");
    }
    return out;
  }
}
