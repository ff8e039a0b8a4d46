package dev.clipstream.model.preprocess;

import java.util.Optional;

/** The image formats clipstream decodes, told apart by their first bytes (never by file name). */
enum ImageFormat {
  PNG("png"),
  JPEG("jpeg"),
  GIF("gif"),
  BMP("bmp"),
  TIFF("tiff"),
  WEBP("webp");

  /** For messages: what a refused file is not. */
  static final String NAMES = "PNG, JPEG, GIF, BMP, TIFF or WebP";

  /** The name ImageIO knows the format's reader by. */
  final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The format whose signature {@code b} starts with. */
  static Optional<ImageFormat> sniff(byte[] b) {
    if (starts(b, 0x89, 'P', 'N', 'G')) {
      return Optional.of(PNG);
    }
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (starts(b, 'G', 'I', 'F', '8')) {
      return Optional.of(GIF);
    }
    if (starts(b, 'B', 'M')) {
      return Optional.of(BMP);
    }
    if (starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42)) {
      return Optional.of(TIFF);
    }
    // RIFF container (size in bytes 4..7) whose form type is WEBP.
    if (starts(b, 'R', 'I', 'F', 'F')
        && b.length >= 12
        && b[8] == 'W'
        && b[9] == 'E'
        && b[10] == 'B'
        && b[11] == 'P') {
      return Optional.of(WEBP);
    }
    return Optional.empty();
  }

  private static boolean starts(byte[] b, int... signature) {
    if (b.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((b[i] & 0xff) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
