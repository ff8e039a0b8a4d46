package dev.clipstream.jobs.testing;

import dev.clipstream.jobs.io.EventLimits;
import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The poison catalogue: bad and awkward Kafka values, each built here in code, with what the
 * tagging pipeline must make of it (a result, or a dead letter at a stage with a reason).
 */
public final class PoisonInputs {
  private PoisonInputs() {}

  /** What a case must come to: a result when {@code stage} is null, else a dead letter. */
  public record Expected(FailureStage stage, String reasonContains) {
    static Expected result() {
      return new Expected(null, null);
    }

    static Expected deadLetter(FailureStage stage, String reasonContains) {
      return new Expected(stage, reasonContains);
    }

    public boolean isResult() {
      return stage == null;
    }

    @Override
    public String toString() {
      return isResult() ? "result" : stage + " \"" + reasonContains + "\"";
    }
  }

  /** One poison input: its name, the Kafka value, and what must come of it. */
  public record Case(String name, byte[] value, Expected expected) {
    /** The event id of cases that deserialise (null for those that must not). */
    public String eventId() {
      return ID_PREFIX + name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  public static final String ID_PREFIX = "poison-";

  /** A caption in many scripts, with emoji (a ZWJ family), a tab, a bell and a NUL. */
  public static final String MANY_SCRIPTS =
      "\u65e5\u672c\u8a9e\u306e\u30b9\u30cb\u30fc\u30ab\u30fc \u0627\u0644\u0639\u0631\u0628\u064a\u0629"
          + " \u05e2\u05d1\u05e8\u05d9\u05ea \u0939\u093f\u0928\u094d\u0926\u0940 \u0e44\u0e17\u0e22"
          + " \ud55c\uad6d\uc5b4 \u0440\u0443\u0441\u0441\u043a\u0438\u0439 \u03b5\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac"
          + " \ud83d\udc5f\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 \ud83c\udff3\ufe0f\u200d\ud83c\udf08"
          + " tab\there bell\u0007 nul\u0000 end\u202e";

  /** Over the default 16 MiB image limit of {@code PreprocessOptions}. */
  public static final int OVERSIZED_IMAGE_BYTES = 20 * 1024 * 1024;

  public static final String RANDOM_BYTES = "random-bytes";
  public static final String TRUNCATED_AVRO = "truncated-avro-body";
  public static final String UNKNOWN_FINGERPRINT = "unknown-schema-fingerprint";
  public static final String NOT_AN_IMAGE = "image-is-not-an-image";
  public static final String TRUNCATED_JPEG = "truncated-jpeg";
  public static final String HUGE_PNG = "png-declaring-100000x100000";
  public static final String CMYK_JPEG = "cmyk-jpeg";
  public static final String PNG_16_BIT = "16-bit-png";
  public static final String PALETTE_ALPHA_PNG = "palette-png-with-alpha";
  public static final String ONE_PIXEL = "1x1-png";
  public static final String OVERSIZED_IMAGE = "20-mb-image";
  public static final String EMPTY_CAPTION = "empty-caption";
  public static final String MEGABYTE_CAPTION = "1-mb-caption";
  public static final String MANY_SCRIPTS_CAPTION = "many-scripts-emoji-control-caption";
  public static final String INVALID_UTF8 = "invalid-utf8-caption";

  /** Every case, in a fixed order. */
  public static List<Case> all() {
    return List.of(
        get(RANDOM_BYTES),
        get(TRUNCATED_AVRO),
        get(UNKNOWN_FINGERPRINT),
        get(NOT_AN_IMAGE),
        get(TRUNCATED_JPEG),
        get(HUGE_PNG),
        get(CMYK_JPEG),
        get(PNG_16_BIT),
        get(PALETTE_ALPHA_PNG),
        get(ONE_PIXEL),
        get(OVERSIZED_IMAGE),
        get(EMPTY_CAPTION),
        get(MEGABYTE_CAPTION),
        get(MANY_SCRIPTS_CAPTION),
        get(INVALID_UTF8));
  }

  /** The case called {@code name}. */
  public static Case get(String name) {
    String id = ID_PREFIX + name;
    return switch (name) {
      case RANDOM_BYTES -> {
        byte[] noise = new byte[512];
        new Random(8).nextBytes(noise);
        noise[0] = 0x42; // anything but the single-object marker
        yield new Case(name, noise, Expected.deadLetter(FailureStage.DESERIALIZE, "WRONG_MARKER"));
      }
      case TRUNCATED_AVRO -> {
        byte[] whole = event(id, png(picture(64, 64)), "a cut-short message");
        yield new Case(
            name,
            Arrays.copyOf(whole, whole.length / 2),
            Expected.deadLetter(FailureStage.DESERIALIZE, "TRUNCATED_BODY"));
      }
      case UNKNOWN_FINGERPRINT -> {
        byte[] value = event(id, png(picture(64, 64)), null);
        value[2] ^= (byte) 0xFF; // first byte of the 8-byte fingerprint
        yield new Case(
            name, value, Expected.deadLetter(FailureStage.DESERIALIZE, "UNKNOWN_FINGERPRINT"));
      }
      case NOT_AN_IMAGE ->
          new Case(
              name,
              event(id, "this is text, not a picture".getBytes(StandardCharsets.UTF_8), null),
              Expected.deadLetter(FailureStage.DECODE_IMAGE, "UNSUPPORTED_FORMAT"));
      case TRUNCATED_JPEG -> {
        byte[] jpeg = jpeg(picture(64, 64));
        yield new Case(
            name,
            event(id, Arrays.copyOf(jpeg, jpeg.length * 6 / 10), null),
            Expected.deadLetter(FailureStage.DECODE_IMAGE, "CORRUPT"));
      }
      case HUGE_PNG ->
          new Case(
              name,
              event(id, pngDeclaring(100_000, 100_000), null),
              Expected.deadLetter(FailureStage.DECODE_IMAGE, "TOO_MANY_PIXELS"));
      case CMYK_JPEG -> new Case(name, event(id, cmykJpeg(), null), Expected.result());
      case PNG_16_BIT -> new Case(name, event(id, png16(), null), Expected.result());
      case PALETTE_ALPHA_PNG ->
          new Case(name, event(id, paletteAlphaPng(), null), Expected.result());
      case ONE_PIXEL -> new Case(name, event(id, png(picture(1, 1)), null), Expected.result());
      case OVERSIZED_IMAGE ->
          new Case(
              name,
              event(id, paddedPng(OVERSIZED_IMAGE_BYTES), null),
              Expected.deadLetter(FailureStage.DECODE_IMAGE, "TOO_MANY_BYTES"));
      case EMPTY_CAPTION -> new Case(name, event(id, png(picture(64, 64)), ""), Expected.result());
      case MEGABYTE_CAPTION ->
          new Case(
              name,
              event(id, png(picture(64, 64)), "a".repeat(1024 * 1024)),
              Expected.deadLetter(
                  FailureStage.VALIDATE,
                  "over the limit of " + EventLimits.DEFAULT_MAX_CAPTION_CHARS));
      case MANY_SCRIPTS_CAPTION ->
          new Case(name, event(id, png(picture(64, 64)), MANY_SCRIPTS), Expected.result());
      case INVALID_UTF8 -> {
        byte[] value = event(id, png(picture(64, 64)), "caf\u00e9 au lait");
        int at = indexOf(value, "caf\u00e9".getBytes(StandardCharsets.UTF_8));
        value[at + 4] = 0x28; // C3 28: a UTF-8 lead byte without its continuation byte
        yield new Case(name, value, Expected.deadLetter(FailureStage.DESERIALIZE, "INVALID_UTF8"));
      }
      default -> throw new IllegalArgumentException("no poison case " + name);
    };
  }

  /** A single-object ImageEvent. */
  public static byte[] event(String id, byte[] image, String caption) {
    return SingleObjectCodec.of(ImageEvent.class)
        .encode(
            ImageEvent.newBuilder()
                .setEventId(id)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setSource("poison-catalogue")
                .setImage(ByteBuffer.wrap(image))
                .setContentType("image/png")
                .setCaption(caption)
                .build());
  }

  /** A small drawn picture: a dark shoe-like shape on a light ground. */
  public static BufferedImage picture(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(235, 235, 235));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(40, 40, 60));
    g.fillRoundRect(width / 8, height / 2, width * 3 / 4, height / 3, width / 4, height / 4);
    g.dispose();
    return image;
  }

  public static byte[] png(BufferedImage image) {
    return write(image, "png");
  }

  public static byte[] jpeg(BufferedImage image) {
    return write(image, "jpeg");
  }

  private static byte[] write(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no " + format + " writer for " + image);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The C, M, Y, K samples every pixel of {@link #cmykJpeg()} stores. */
  public static final int[] CMYK_SAMPLES = {30, 200, 220, 250};

  /**
   * A 4-channel (CMYK) JPEG as Adobe applications write one: an APP14 "Adobe" segment with
   * transform 0, samples stored inverted (255 = no ink).
   */
  public static byte[] cmykJpeg() {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 32, 4, null);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        raster.setPixel(x, y, CMYK_SAMPLES);
      }
    }
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(stream);
        writer.write(null, new IIOImage(raster, null, null), null);
      } finally {
        writer.dispose();
      }
      byte[] jpeg = out.toByteArray();
      byte[] adobe = {
        (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
      };
      byte[] withAdobe = new byte[jpeg.length + adobe.length];
      System.arraycopy(jpeg, 0, withAdobe, 0, 2); // SOI
      System.arraycopy(adobe, 0, withAdobe, 2, adobe.length);
      System.arraycopy(jpeg, 2, withAdobe, 2 + adobe.length, jpeg.length - 2);
      return withAdobe;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 16-bit R, G, B of every pixel of {@link #png16()}. */
  public static final int[] RGB16 = {65535, 32896, 0};

  /** A 16-bit-per-channel RGB PNG (IHDR bit depth 16, colour type 2). */
  public static byte[] png16() {
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(16, 16);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        raster.setPixel(x, y, RGB16);
      }
    }
    return png(new BufferedImage(model, raster, false, null));
  }

  /** The palette of {@link #paletteAlphaPng()}: opaque red, half-transparent green, clear blue. */
  public static final int[] PALETTE_ARGB = {0xFFFF0000, 0x8000FF00, 0x000000FF};

  /** An 8-bit palette PNG with a tRNS chunk; column x uses palette entry x % 3. */
  public static byte[] paletteAlphaPng() {
    byte[] r = new byte[3];
    byte[] g = new byte[3];
    byte[] b = new byte[3];
    byte[] a = new byte[3];
    for (int i = 0; i < 3; i++) {
      r[i] = (byte) (PALETTE_ARGB[i] >>> 16);
      g[i] = (byte) (PALETTE_ARGB[i] >>> 8);
      b[i] = (byte) PALETTE_ARGB[i];
      a[i] = (byte) (PALETTE_ARGB[i] >>> 24);
    }
    BufferedImage image =
        new BufferedImage(
            12, 12, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b, a));
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 12; x++) {
        image.getRaster().setSample(x, y, 0, x % 3);
      }
    }
    return png(image);
  }

  /**
   * A PNG whose IHDR declares {@code width}x{@code height} RGB pixels, written by hand with valid
   * CRCs; its one IDAT holds a single compressed row, far too little for the size it claims.
   */
  public static byte[] pngDeclaring(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", deflate(new byte[1 + 3 * 16]));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** A valid 8x8 PNG padded to {@code totalBytes} with a private ancillary chunk. */
  public static byte[] paddedPng(int totalBytes) {
    byte[] small = png(picture(8, 8));
    int iend = small.length - 12; // the IEND chunk is 12 bytes: length, type, CRC
    ByteArrayOutputStream out = new ByteArrayOutputStream(totalBytes);
    out.write(small, 0, iend);
    chunk(out, "paDd", new byte[totalBytes - small.length - 12]);
    out.write(small, iend, 12);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    byte[] buffer = new byte[data.length + 64];
    int n = deflater.deflate(buffer);
    deflater.end();
    return Arrays.copyOf(buffer, n);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("not found");
  }
}
