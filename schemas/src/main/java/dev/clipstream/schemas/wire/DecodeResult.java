package dev.clipstream.schemas.wire;

/** The outcome of decoding one payload: the record, or a typed reason it could not be read. */
public sealed interface DecodeResult<T> {

  /** A payload that decoded to a record. */
  record Decoded<T>(T value) implements DecodeResult<T> {}

  /** A payload that did not, and why. */
  record Failed<T>(WireError error) implements DecodeResult<T> {}

  /** Whether a record came out. */
  default boolean isDecoded() {
    return this instanceof Decoded<T>;
  }

  /** The record; throws if decoding failed (for tests and code that has already checked). */
  default T value() {
    if (this instanceof Decoded<T> d) {
      return d.value();
    }
    throw new IllegalStateException("not decoded: " + ((Failed<T>) this).error());
  }
}
