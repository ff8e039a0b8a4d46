package dev.clipstream.model.preprocess.webp;

import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes a still lossy WebP, simple ({@code VP8 }) or extended ({@code VP8X}, with or without an
 * {@code ALPH} chunk), into the RGB bytes Pillow gives, with the alpha of an {@code ALPH} chunk as
 * a fourth channel ({@link AlphaChannel}). Lossless and animated files are not its business: it
 * answers empty and the caller decodes them otherwise. Bad data comes back as a rejection, never an
 * exception; the pixel count is checked against the limit from the headers, before anything is
 * allocated.
 */
public final class LossyWebp {

  private LossyWebp() {}

  /**
   * The outcome for the RIFF file {@code riff} (already known to start with RIFF....WEBP and to
   * hold the bytes its RIFF header declares), or empty if it is not a still lossy image.
   */
  public static Optional<DecodeOutcome> decode(byte[] riff, long maxPixels) {
    try {
      return decodeChecked(riff, maxPixels);
    } catch (Vp8Exception e) {
      return Optional.of(corrupt(e.getMessage()));
    } catch (RuntimeException e) {
      // A bug, not bad input; still a value at this edge, so one bad image cannot stop a job.
      return Optional.of(corrupt("the WebP data cannot be decoded: " + e));
    }
  }

  private static Optional<DecodeOutcome> decodeChecked(byte[] riff, long maxPixels)
      throws Vp8Exception {
    long declared = 8 + (u32(riff, 4));
    int end = (int) Math.min(riff.length, declared);
    int pos = 12;
    long canvasWidth = -1;
    long canvasHeight = -1;
    boolean alpha = false;
    while (pos + 8 <= end) {
      String fourCc = new String(riff, pos, 4, StandardCharsets.ISO_8859_1);
      long size = u32(riff, pos + 4);
      int payload = pos + 8;
      // libwebp's demuxer, which Pillow reads through, wants the pad byte of an odd size too.
      if (size + (size & 1) > end - payload) {
        throw new Vp8Exception(
            "the WebP "
                + printable(fourCc)
                + " chunk of "
                + size
                + " bytes runs past the file's end");
      }
      switch (fourCc) {
        case "VP8 " -> {
          return Optional.of(
              lossy(riff, payload, (int) size, canvasWidth, canvasHeight, maxPixels, alpha));
        }
        case "VP8X" -> {
          if (pos != 12 || size < 10) {
            throw new Vp8Exception("the WebP VP8X chunk is misplaced or short");
          }
          if ((riff[payload] & 0x02) != 0) {
            return Optional.empty(); // animated
          }
          canvasWidth = 1 + u24(riff, payload + 4);
          canvasHeight = 1 + u24(riff, payload + 7);
          if (canvasWidth * canvasHeight > maxPixels) {
            return Optional.of(tooManyPixels(canvasWidth, canvasHeight, maxPixels));
          }
        }
        case "ALPH" -> alpha = canvasWidth >= 0;
        case "VP8L" -> {
          return Optional.empty(); // lossless
        }
        default -> {
          if (pos == 12) {
            return Optional.empty(); // not a WebP layout we know: let the caller say so
          }
          // ICCP, EXIF, XMP and unknown chunks: nothing Pillow's pixels depend on
        }
      }
      pos = payload + (int) size + (int) (size & 1); // chunks are padded to an even size
    }
    throw new Vp8Exception("the WebP file ends before its image data");
  }

  private static DecodeOutcome lossy(
      byte[] riff,
      int offset,
      int length,
      long canvasWidth,
      long canvasHeight,
      long maxPixels,
      boolean alpha)
      throws Vp8Exception {
    int[] size = Vp8Decoder.dimensions(riff, offset, length);
    long width = size[0];
    long height = size[1];
    if (width * height > maxPixels) {
      return tooManyPixels(width, height, maxPixels);
    }
    if (canvasWidth >= 0 && (canvasWidth != width || canvasHeight != height)) {
      throw new Vp8Exception(
          "the WebP canvas of "
              + canvasWidth
              + "x"
              + canvasHeight
              + " does not match its "
              + width
              + "x"
              + height
              + " frame");
    }
    byte[] rgb = Vp8Decoder.decode(riff, offset, length);
    if (alpha) {
      byte[] rgba = AlphaChannel.addTo(rgb, riff, (int) width, (int) height);
      return new DecodeOutcome.Decoded(new DecodedImage((int) width, (int) height, 4, rgba, false));
    }
    return new DecodeOutcome.Decoded(new DecodedImage((int) width, (int) height, 3, rgb, false));
  }

  /** A chunk's name for a one-line message: itself if printable ASCII, else its hex bytes. */
  private static String printable(String fourCc) {
    if (fourCc.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return "'" + fourCc + "'";
    }
    StringBuilder hex = new StringBuilder("0x");
    for (char c : fourCc.toCharArray()) {
      hex.append(String.format("%02x", (int) c));
    }
    return hex.toString();
  }

  private static DecodeOutcome tooManyPixels(long width, long height, long maxPixels) {
    return new DecodeOutcome.Rejected(
        DecodeOutcome.Reason.TOO_MANY_PIXELS,
        "the image declares " + width + "x" + height + " pixels, over the limit of " + maxPixels);
  }

  private static DecodeOutcome corrupt(String message) {
    return new DecodeOutcome.Rejected(DecodeOutcome.Reason.CORRUPT, message);
  }

  private static long u32(byte[] b, int at) {
    return u24(b, at) | (b[at + 3] & 0xffL) << 24;
  }

  private static long u24(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16;
  }
}
