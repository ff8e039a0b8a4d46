package dev.clipstream.schemas.format;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a record is written on Kafka. The three start differently, so a reader tells them apart by
 * the first byte: single-object Avro with {@code C3 01}, Confluent's framing with {@code 00}, JSON
 * with <code>{</code>.
 */
public enum WireFormat {
  /** Avro single-object encoding: {@code C3 01}, 8-byte schema fingerprint, Avro binary. */
  AVRO_SINGLE_OBJECT("avro-single-object"),
  /** Confluent's wire format: {@code 00}, 4-byte big-endian registry schema id, Avro binary. */
  CONFLUENT_AVRO("confluent-avro"),
  /** One JSON object per record, field names as in the Avro schema (docs/output-formats.md). */
  JSON("json");

  /** The magic byte of Confluent's wire format. */
  public static final byte CONFLUENT_MAGIC = 0;

  private final String key;

  WireFormat(String key) {
    this.key = key;
  }

  /** The name in settings, e.g. {@code confluent-avro}. */
  public String key() {
    return key;
  }

  @Override
  public String toString() {
    return key;
  }

  /** The format named {@code name}; a one-line exception listing the names for anything else. */
  public static WireFormat parse(String name) {
    String given = name == null ? "" : name.strip();
    for (WireFormat f : values()) {
      if (f.key.equals(given)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "'" + given + "' is not an output format: " + names() + " are");
  }

  /** The names, separated by " | ". */
  public static String names() {
    return Arrays.stream(values()).map(WireFormat::key).collect(Collectors.joining(" | "));
  }

  /** The format a payload is in, by its first bytes; empty when it is none of them. */
  public static Optional<WireFormat> detect(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return Optional.empty();
    }
    if (payload.length >= 2 && payload[0] == (byte) 0xC3 && payload[1] == (byte) 0x01) {
      return Optional.of(AVRO_SINGLE_OBJECT);
    }
    if (payload[0] == CONFLUENT_MAGIC) {
      return Optional.of(CONFLUENT_AVRO);
    }
    for (byte b : payload) {
      if (b == '{') {
        return Optional.of(JSON);
      }
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        break;
      }
    }
    return Optional.empty();
  }
}
