package dev.clipstream.schemas.wire;

/**
 * Why a payload could not be read as a clipstream record (single-object Avro, Confluent-framed Avro
 * or JSON), and one line on it.
 */
public record WireError(Kind kind, String message) {

  /** The kinds of bad payload a reader can meet. */
  public enum Kind {
    /** Fewer bytes than the 10-byte single-object header. */
    TOO_SHORT,
    /**
     * The first bytes are not the expected marker (single-object C3 01, Confluent's 00), or, for a
     * reader of every format, none of the formats' first bytes.
     */
    WRONG_MARKER,
    /** The header names a schema fingerprint this reader does not know. */
    UNKNOWN_FINGERPRINT,
    /** The writer's schema cannot be read as this reader's type. */
    INCOMPATIBLE_SCHEMA,
    /** The body ends before the record does. */
    TRUNCATED_BODY,
    /** The body is not a valid encoding of the writer's schema (bad union index, size, ...). */
    MALFORMED_BODY,
    /** A string field holds bytes that are not UTF-8 (Avro would silently replace them). */
    INVALID_UTF8,
    /** Bytes are left over after the record. */
    TRAILING_BYTES,
    /**
     * A Confluent-framed payload names a schema id the registry does not hold, or the reader has no
     * registry to ask.
     */
    UNKNOWN_SCHEMA_ID,
    /** A JSON payload is not JSON, or not the record's fields with their types. */
    MALFORMED_JSON
  }

  @Override
  public String toString() {
    return kind + ": " + message;
  }
}
