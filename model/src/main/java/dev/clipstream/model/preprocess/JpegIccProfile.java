package dev.clipstream.model.preprocess;

import java.io.ByteArrayOutputStream;

/**
 * Removes the embedded ICC profile (APP2 "ICC_PROFILE" segments) from a JPEG's bytes. The JDK's
 * JPEG reader converts the decoded pixels through an embedded profile inside {@code read}, with no
 * switch to turn that off; Pillow, and so OpenAI's pipeline, keeps the decoded values. The profile
 * is metadata only (ISO/IEC 10918-1 leaves APPn segments to applications), so without it libjpeg
 * decodes the same samples and the reader leaves them as they are.
 */
final class JpegIccProfile {

  private static final int APP2 = 0xE2;
  private static final int SOS = 0xDA;
  private static final byte[] ICC_TAG = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0};

  private JpegIccProfile() {}

  /** The JPEG without its ICC profile segments; {@code jpeg} itself when it has none. */
  static byte[] strip(byte[] jpeg) {
    int p = 2; // after SOI
    ByteArrayOutputStream out = null;
    int copiedUpTo = 0;
    while (p + 4 <= jpeg.length && (jpeg[p] & 0xff) == 0xFF) {
      int marker = jpeg[p + 1] & 0xff;
      if (marker == 0xFF) {
        p++; // fill byte
        continue;
      }
      if (marker == SOS || marker == 0xD9 || (marker >= 0xD0 && marker <= 0xD7)) {
        break; // entropy-coded data follows: no more metadata segments to look at
      }
      int end = p + 2 + (((jpeg[p + 2] & 0xff) << 8) | (jpeg[p + 3] & 0xff));
      if (end > jpeg.length) {
        break; // cut short: leave it to the reader to say so
      }
      if (marker == APP2 && isIcc(jpeg, p + 4, end)) {
        if (out == null) {
          out = new ByteArrayOutputStream(jpeg.length);
        }
        out.write(jpeg, copiedUpTo, p - copiedUpTo);
        copiedUpTo = end;
      }
      p = end;
    }
    if (out == null) {
      return jpeg;
    }
    out.write(jpeg, copiedUpTo, jpeg.length - copiedUpTo);
    return out.toByteArray();
  }

  private static boolean isIcc(byte[] b, int from, int end) {
    if (end - from < ICC_TAG.length) {
      return false;
    }
    for (int i = 0; i < ICC_TAG.length; i++) {
      if (b[from + i] != ICC_TAG[i]) {
        return false;
      }
    }
    return true;
  }
}
