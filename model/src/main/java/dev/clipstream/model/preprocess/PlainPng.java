package dev.clipstream.model.preprocess;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct decoder for the PNGs photos come as: 8-bit grey, RGB or RGBA, not interlaced, without a
 * transparency chunk. PNG is lossless, so its samples are the file's, exactly what Pillow and the
 * JDK's reader give; this one skips the JDK reader's per-row stream and raster copies. Anything
 * else — another layout, a damaged chunk, a checksum or length that does not add up — returns null,
 * and the caller decodes it with ImageIO, which also gives the errors.
 */
final class PlainPng {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private PlainPng() {}

  /** The image's samples, or null when it is not a plain PNG or has over {@code maxPixels}. */
  static DecodedImage decode(byte[] png, long maxPixels) {
    try {
      return parse(png, maxPixels);
    } catch (DataFormatException | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  private static DecodedImage parse(byte[] png, long maxPixels) throws DataFormatException {
    if (png.length < SIGNATURE.length + 25) {
      return null;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (png[i] != SIGNATURE[i]) {
        return null;
      }
    }
    int p = SIGNATURE.length;
    int width = 0;
    int height = 0;
    int channels = 0;
    Inflater inflater = null;
    byte[] raw = null;
    int rawFilled = 0;
    boolean idatSeen = false;
    boolean idatEnded = false;
    CRC32 crc = new CRC32();
    try {
      while (true) {
        if (p + 12 > png.length) {
          return null;
        }
        int length = int32(png, p);
        if (length < 0 || p + 12L + length > png.length) {
          return null;
        }
        int type = int32(png, p + 4);
        int data = p + 8;
        crc.reset();
        crc.update(png, p + 4, length + 4);
        if ((int) crc.getValue() != int32(png, data + length)) {
          return null;
        }
        boolean first = p == SIGNATURE.length;
        if (first != (type == IHDR)) {
          return null;
        }
        if (type == IHDR) {
          if (length != 13) {
            return null;
          }
          width = int32(png, data);
          height = int32(png, data + 4);
          int depth = png[data + 8];
          int colour = png[data + 9];
          channels = colour == 0 ? 1 : colour == 2 ? 3 : colour == 6 ? 4 : 0;
          if (width <= 0
              || height <= 0
              || (long) width * height > maxPixels
              || depth != 8
              || channels == 0
              || png[data + 10] != 0
              || png[data + 11] != 0
              || png[data + 12] != 0) {
            return null;
          }
          raw = new byte[(width * channels + 1) * height];
          inflater = new Inflater();
        } else if (type == IDAT) {
          if (idatEnded) {
            return null;
          }
          idatSeen = true;
          inflater.setInput(png, data, length);
          while (!inflater.needsInput() && !inflater.finished()) {
            int n = inflater.inflate(raw, rawFilled, raw.length - rawFilled);
            rawFilled += n;
            if (n == 0 && (rawFilled == raw.length || inflater.needsDictionary())) {
              return null; // more data than the image holds, or a preset dictionary
            }
          }
        } else if (type == IEND) {
          if (!idatSeen || !inflater.finished() || rawFilled != raw.length) {
            return null;
          }
          break;
        } else if (type == TRNS
            || (type == PLTE && channels == 1)
            || (type >>> 24 & 0x20) == 0 && type != PLTE) {
          return null; // transparency, or a critical chunk this decoder does not know
        } else if (idatSeen) {
          idatEnded = true;
        }
        p = data + length + 4;
      }
    } finally {
      if (inflater != null) {
        inflater.end();
      }
    }
    byte[] out = unfilter(raw, width, height, channels);
    return out == null ? null : new DecodedImage(width, height, channels, out, false);
  }

  /** PNG's five row filters undone (PNG specification, section 9), one byte per sample. */
  private static byte[] unfilter(byte[] raw, int width, int height, int bpp) {
    int stride = width * bpp;
    byte[] out = new byte[stride * height];
    for (int y = 0; y < height; y++) {
      int in = y * (stride + 1);
      int filter = raw[in++];
      int o = y * stride;
      int up = o - stride; // the row above in out; none for y == 0
      switch (filter) {
        case 0 -> System.arraycopy(raw, in, out, o, stride);
        case 1 -> {
          for (int i = 0; i < stride; i++) {
            int left = i >= bpp ? out[o + i - bpp] : 0;
            out[o + i] = (byte) (raw[in + i] + left);
          }
        }
        case 2 -> {
          for (int i = 0; i < stride; i++) {
            int above = y > 0 ? out[up + i] : 0;
            out[o + i] = (byte) (raw[in + i] + above);
          }
        }
        case 3 -> {
          for (int i = 0; i < stride; i++) {
            int left = i >= bpp ? out[o + i - bpp] & 0xff : 0;
            int above = y > 0 ? out[up + i] & 0xff : 0;
            out[o + i] = (byte) (raw[in + i] + ((left + above) >>> 1));
          }
        }
        case 4 -> {
          for (int i = 0; i < stride; i++) {
            int a = i >= bpp ? out[o + i - bpp] & 0xff : 0;
            int b = y > 0 ? out[up + i] & 0xff : 0;
            int c = i >= bpp && y > 0 ? out[up + i - bpp] & 0xff : 0;
            out[o + i] = (byte) (raw[in + i] + paeth(a, b, c));
          }
        }
        default -> {
          return null;
        }
      }
    }
    return out;
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  private static int int32(byte[] b, int i) {
    return (b[i] & 0xff) << 24
        | (b[i + 1] & 0xff) << 16
        | (b[i + 2] & 0xff) << 8
        | (b[i + 3] & 0xff);
  }

  private static final int IHDR = 0x49484452;
  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454e44;
  private static final int PLTE = 0x504c5445;
  private static final int TRNS = 0x74524e53;
}
