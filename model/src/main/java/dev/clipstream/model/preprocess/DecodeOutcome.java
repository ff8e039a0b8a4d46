package dev.clipstream.model.preprocess;

/** The result of decoding an image: its pixels, or why it was refused (errors are values). */
public sealed interface DecodeOutcome {

  /** Pixels came out. */
  record Decoded(DecodedImage image) implements DecodeOutcome {}

  /** The bytes were refused, with a one-line reason a person can act on. */
  record Rejected(Reason reason, String message) implements DecodeOutcome {}

  /** Why an image was refused. */
  enum Reason {
    /** No bytes at all. */
    EMPTY,
    /** More bytes than the configured limit. */
    TOO_MANY_BYTES,
    /** Not an image format clipstream reads, or a variant of one ImageIO cannot. */
    UNSUPPORTED_FORMAT,
    /** Declares more pixels than the configured limit (a decompression bomb, or just too big). */
    TOO_MANY_PIXELS,
    /** Starts like an image but its data is broken or cut short. */
    CORRUPT
  }
}
