package dev.clipstream.model.preprocess;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import dev.clipstream.model.preprocess.webp.LossyWebp;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, GIF (its first frame), BMP and TIFF bytes with the JDK's ImageIO readers,
 * lossy WebP with our own VP8 decoder ({@link LossyWebp}; its alpha, if any, through TwelveMonkeys)
 * and lossless or animated WebP with TwelveMonkeys' pure-Java reader into {@link DecodedImage}s,
 * after checking the byte count and the pixel count the header declares, so a decompression bomb is
 * refused before any pixel is allocated. Pixels come out as Pillow decodes them: embedded ICC
 * profiles are not applied (unless asked), CMYK and YCCK JPEGs stay CMYK as Pillow holds them
 * ({@link CmykJpeg}). Plain JPEGs go to libjpeg-turbo first where the machine has it ({@link
 * TurboJpeg}), with the same pixels. Never throws for bad input: it returns a rejection.
 *
 * <p>It never looks anything up in ImageIO's JVM-wide plug-in registry ({@link JdkImageReaders}):
 * on a Flink TaskManager that registry outlives each job's class loader, and a plug-in one job
 * registered from its jar fails every later job with a {@code ClassNotFoundException}.
 */
public final class ImageDecoder {

  static {
    JdkImageReaders.prepare(); // before any plug-in code can touch ImageIO's registry first
  }

  private static final WebPImageReaderSpi WEBP = new WebPImageReaderSpi();

  private final long maxPixels;
  private final int maxBytes;
  private final boolean applyIccProfiles;
  private final boolean turboJpeg;

  /** The formats it reads, for messages: "PNG, JPEG, GIF, BMP, TIFF or WebP". */
  public static final String FORMATS = ImageFormat.NAMES;

  /** How many leading bytes {@link #isReadableFormat} needs to tell a format. */
  public static final int SIGNATURE_BYTES = 12;

  /** Which decoder plain JPEGs go to on this machine, for benchmarks and logs. */
  public static String jpegDecoder() {
    return TurboJpeg.available()
        ? "libjpeg-turbo (TurboJPEG through JNA)"
        : "the JDK's ImageIO reader (no libturbojpeg here, or -Dclipstream.turbojpeg=false)";
  }

  /** Whether {@code head} (a file's first bytes) starts like a format this decoder reads. */
  public static boolean isReadableFormat(byte[] head) {
    return ImageFormat.sniff(head).isPresent();
  }

  /** A decoder that, as Pillow, leaves embedded ICC profiles unapplied. */
  public ImageDecoder(long maxPixels, int maxBytes) {
    this(maxPixels, maxBytes, false);
  }

  /**
   * @param applyIccProfiles convert RGB images with an embedded ICC profile to sRGB through it (the
   *     JDK's colour management); off gives Pillow's, and so OpenAI's, pixels
   */
  public ImageDecoder(long maxPixels, int maxBytes, boolean applyIccProfiles) {
    this(maxPixels, maxBytes, applyIccProfiles, true);
  }

  /**
   * @param turboJpeg decode plain JPEGs with libjpeg-turbo where the machine has it ({@link
   *     TurboJpeg}); false leaves every JPEG to the JDK's reader (the same pixels, more slowly)
   */
  ImageDecoder(long maxPixels, int maxBytes, boolean applyIccProfiles, boolean turboJpeg) {
    this.maxPixels = maxPixels;
    this.maxBytes = maxBytes;
    this.applyIccProfiles = applyIccProfiles;
    this.turboJpeg = turboJpeg;
  }

  /** Decodes one encoded image, with working memory of its own. */
  public DecodeOutcome decode(byte[] bytes) {
    try (DecodeScratch scratch = new DecodeScratch()) {
      return decode(bytes, scratch);
    }
  }

  /**
   * A plain JPEG that libjpeg-turbo decodes here, its pixels left in {@code scratch} for a caller
   * that resizes them before the scratch's next image; null for anything else, which {@link
   * #decode(byte[], DecodeScratch)} then decodes or refuses (a JPEG libjpeg-turbo stops on with a
   * warning is decompressed twice that way: rare, and only the slower path).
   */
  PixelBuffer plainJpegInScratch(byte[] bytes, DecodeScratch scratch) {
    if (!turboJpeg
        || applyIccProfiles
        || bytes == null
        || bytes.length == 0
        || bytes.length > maxBytes
        || ImageFormat.sniff(bytes).orElse(null) != ImageFormat.JPEG) {
      return null;
    }
    return TurboJpeg.decodeInScratch(bytes, maxPixels, scratch);
  }

  /**
   * Decodes one encoded image with the calling thread's {@code scratch}, which keeps its working
   * memory for the next.
   */
  public DecodeOutcome decode(byte[] bytes, DecodeScratch scratch) {
    if (bytes == null || bytes.length == 0) {
      return reject(DecodeOutcome.Reason.EMPTY, "the image has no bytes");
    }
    if (bytes.length > maxBytes) {
      return reject(
          DecodeOutcome.Reason.TOO_MANY_BYTES,
          "the image has " + bytes.length + " bytes, over the limit of " + maxBytes);
    }
    Optional<ImageFormat> format = ImageFormat.sniff(bytes);
    if (format.isEmpty()) {
      return reject(
          DecodeOutcome.Reason.UNSUPPORTED_FORMAT, "not a " + ImageFormat.NAMES + " image");
    }
    long declared = format.get() == ImageFormat.WEBP ? riffLength(bytes) : bytes.length;
    if (bytes.length < declared) {
      // The WebP reader decodes a cut-short lossless stream into a partial image without a word.
      return reject(
          DecodeOutcome.Reason.CORRUPT,
          "the WebP data is cut short: "
              + bytes.length
              + " of the "
              + declared
              + " bytes its header declares");
    }
    if (format.get() == ImageFormat.WEBP) {
      // Lossy WebP by our own VP8 decoder, which gives libwebp's (Pillow's) bytes; lossless
      // and animated WebP by TwelveMonkeys' reader.
      Optional<DecodeOutcome> lossy = LossyWebp.decode(bytes, maxPixels);
      if (lossy.isPresent()) {
        return lossy.get();
      }
    }
    if (format.get() == ImageFormat.PNG && !applyIccProfiles) {
      // The common photo PNG, read directly: the JDK reader's row streams took most of the time.
      DecodedImage plain = PlainPng.decode(bytes, maxPixels);
      if (plain != null) {
        return new DecodeOutcome.Decoded(plain);
      }
    }
    if (format.get() == ImageFormat.JPEG && !applyIccProfiles && turboJpeg) {
      // libjpeg-turbo, as Pillow decodes; null leaves the file to the JDK's reader below.
      DecodedImage turbo = TurboJpeg.decode(bytes, maxPixels, scratch);
      if (turbo != null) {
        return new DecodeOutcome.Decoded(turbo);
      }
    }
    byte[] decodable =
        format.get() == ImageFormat.JPEG && !applyIccProfiles ? JpegIccProfile.strip(bytes) : bytes;
    // Made directly, in memory: ImageIO.createImageInputStream would ask the registry for a
    // stream plug-in, and may be handed one of a closed class loader.
    try (ImageInputStream in =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(decodable))) {
      ImageReader reader = reader(format.get());
      try {
        return read(reader, in, format.get());
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return corrupt(e);
    }
  }

  /** The length of a RIFF file as its header declares it: 8 bytes plus the little-endian size. */
  private static long riffLength(byte[] riff) {
    return 8
        + ((riff[4] & 0xffL)
            | (riff[5] & 0xffL) << 8
            | (riff[6] & 0xffL) << 16
            | (riff[7] & 0xffL) << 24);
  }

  /**
   * The reader for {@code format}: TwelveMonkeys' WebP reader from our own class loader, the JDK's
   * own reader for the others.
   */
  private static ImageReader reader(ImageFormat format) throws IOException {
    if (format == ImageFormat.WEBP) {
      return WEBP.createReaderInstance(null);
    }
    return JdkImageReaders.forFormat(format.imageIoName);
  }

  private DecodeOutcome read(ImageReader reader, ImageInputStream in, ImageFormat format)
      throws IOException {
    boolean gif = format == ImageFormat.GIF;
    reader.setInput(in, true, !gif); // the GIF's frame offset and transparency are metadata
    java.awt.Dimension screen = gif ? GifCanvas.screen(reader) : null;
    long width = Math.max(reader.getWidth(0), gif ? screen.width : 0);
    long height = Math.max(reader.getHeight(0), gif ? screen.height : 0);
    if (width <= 0 || height <= 0) {
      return reject(
          DecodeOutcome.Reason.CORRUPT, "the image declares " + width + "x" + height + " pixels");
    }
    if (width * height > maxPixels) {
      return reject(
          DecodeOutcome.Reason.TOO_MANY_PIXELS,
          "the image declares " + width + "x" + height + " pixels, over the limit of " + maxPixels);
    }
    AtomicReference<String> warning = new AtomicReference<>();
    reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
    int cmyk = CmykJpeg.transform(reader.getImageMetadata(0));
    if (cmyk != CmykJpeg.NOT_CMYK) {
      Raster raw = reader.readRaster(0, null);
      if (warning.get() != null) {
        return damaged(reader, warning.get());
      }
      return new DecodeOutcome.Decoded(CmykJpeg.toCmyk(raw, cmyk));
    }
    BufferedImage image;
    try {
      image = reader.read(0);
    } catch (javax.imageio.IIOException e) {
      if (String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
        return reject(
            DecodeOutcome.Reason.UNSUPPORTED_FORMAT,
            "the "
                + reader.getFormatName()
                + " uses a colour space ImageIO cannot read (CMYK or YCCK)");
      }
      throw e;
    }
    if (warning.get() != null) {
      return damaged(reader, warning.get());
    }
    if (gif) {
      image = GifCanvas.firstFrame(reader, image, screen);
    }
    return new DecodeOutcome.Decoded(ImagePixels.of(image, applyIccProfiles));
  }

  /** ImageIO fills a cut-short JPEG with grey and only warns: that is not the user's image. */
  private static DecodeOutcome damaged(ImageReader reader, String warning) throws IOException {
    return reject(
        DecodeOutcome.Reason.CORRUPT,
        "the " + reader.getFormatName() + " data is damaged: " + warning);
  }

  private static DecodeOutcome corrupt(Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return reject(DecodeOutcome.Reason.CORRUPT, "the image data cannot be decoded: " + why);
  }

  private static DecodeOutcome reject(DecodeOutcome.Reason reason, String message) {
    return new DecodeOutcome.Rejected(reason, message);
  }
}
