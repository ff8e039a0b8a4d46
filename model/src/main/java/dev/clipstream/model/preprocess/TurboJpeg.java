package dev.clipstream.model.preprocess;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * Decodes plain JPEGs (YCbCr, RGB or grey) with libjpeg-turbo's TurboJPEG library through JNA, when
 * the machine has it (Debian and Ubuntu: {@code libturbojpeg0}; the library Pillow itself decodes
 * with). It gives Pillow's bytes: the accurate integer IDCT and fancy upsampling, libjpeg's
 * defaults and so Pillow's, and no colour management. Anything it does not take — a four-channel
 * JPEG, a header or data it cannot read, or a warning of any kind — it leaves to the JDK's reader,
 * which gives the verdict and the message, so a machine without the library decodes the same pixels
 * and refuses the same files, only more slowly.
 *
 * <p>Set the system property {@code clipstream.turbojpeg=false} to leave every JPEG to the JDK.
 * Each call makes and destroys its own TurboJPEG handle; the file and the pixels pass through the
 * caller's {@link DecodeScratch} (native memory it reuses and frees), so the library reads and
 * writes them in place rather than through a copy JNA makes of each array on every call.
 */
final class TurboJpeg {

  /** The TurboJPEG 2.x functions used (also exported by libjpeg-turbo 3). */
  interface Lib extends Library {
    Pointer tjInitDecompress();

    int tjDecompressHeader3(
        Pointer handle,
        Pointer jpeg,
        NativeLong size,
        IntByReference width,
        IntByReference height,
        IntByReference subsampling,
        IntByReference colorspace);

    int tjDecompress2(
        Pointer handle,
        Pointer jpeg,
        NativeLong size,
        Pointer destination,
        int width,
        int pitch,
        int height,
        int pixelFormat,
        int flags);

    int tjDestroy(Pointer handle);
  }

  private static final int TJCS_RGB = 0;
  private static final int TJCS_YCBCR = 1;
  private static final int TJCS_GRAY = 2;
  private static final int TJPF_RGB = 0;
  private static final int TJPF_GRAY = 6;
  private static final int TJFLAG_ACCURATEDCT = 4096;
  private static final int TJFLAG_STOPONWARNING = 8192;

  private static final Lib LIB = load();

  private TurboJpeg() {}

  /** Whether the library was found and loaded (and not turned off). */
  static boolean available() {
    return LIB != null;
  }

  /**
   * The JPEG's pixels as Pillow decodes them, or null where the JDK's reader should decide: no
   * library, not a plain three- or one-channel JPEG, more than {@code maxPixels}, or any error or
   * warning while decoding.
   */
  static DecodedImage decode(byte[] jpeg, long maxPixels, DecodeScratch scratch) {
    Shape shape = decompress(jpeg, maxPixels, scratch);
    if (shape == null) {
      return null;
    }
    byte[] pixels = new byte[shape.length()];
    scratch.decoded(shape.length()).read(0, pixels, 0, shape.length());
    return new DecodedImage(shape.width(), shape.height(), shape.channels(), pixels, false);
  }

  /**
   * The same pixels left in {@code scratch}'s heap buffer, for a caller that resizes them before
   * the scratch's next image: no array of their own (3 MB for a 1024×1024 photo) per image.
   */
  static PixelBuffer decodeInScratch(byte[] jpeg, long maxPixels, DecodeScratch scratch) {
    Shape shape = decompress(jpeg, maxPixels, scratch);
    if (shape == null) {
      return null;
    }
    byte[] pixels = scratch.pixels(shape.length());
    scratch.decoded(shape.length()).read(0, pixels, 0, shape.length());
    return new PixelBuffer(shape.width(), shape.height(), shape.channels(), pixels);
  }

  /** What {@link #decompress} left in the scratch's native pixel buffer. */
  private record Shape(int width, int height, int channels) {
    int length() {
      return width * height * channels;
    }
  }

  /** Decodes into {@code scratch}'s native pixel buffer; null where {@link #decode} says. */
  private static Shape decompress(byte[] jpeg, long maxPixels, DecodeScratch scratch) {
    if (LIB == null) {
      return null;
    }
    Pointer handle = LIB.tjInitDecompress();
    if (handle == null) {
      return null;
    }
    try {
      Pointer file = scratch.encoded(jpeg);
      NativeLong size = new NativeLong(jpeg.length);
      IntByReference width = new IntByReference();
      IntByReference height = new IntByReference();
      IntByReference subsampling = new IntByReference();
      IntByReference colorspace = new IntByReference();
      if (LIB.tjDecompressHeader3(handle, file, size, width, height, subsampling, colorspace)
          != 0) {
        return null;
      }
      int w = width.getValue();
      int h = height.getValue();
      int cs = colorspace.getValue();
      if (w <= 0 || h <= 0 || (long) w * h > maxPixels) {
        return null;
      }
      if (cs != TJCS_YCBCR && cs != TJCS_RGB && cs != TJCS_GRAY) {
        return null;
      }
      int channels = cs == TJCS_GRAY ? 1 : 3;
      Pointer destination = scratch.decoded((long) w * h * channels);
      int format = channels == 1 ? TJPF_GRAY : TJPF_RGB;
      int flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING;
      if (LIB.tjDecompress2(handle, file, size, destination, w, w * channels, h, format, flags)
          != 0) {
        return null;
      }
      return new Shape(w, h, channels);
    } finally {
      LIB.tjDestroy(handle);
    }
  }

  private static Lib load() {
    if ("false".equalsIgnoreCase(System.getProperty("clipstream.turbojpeg"))) {
      return null;
    }
    for (String name : new String[] {"turbojpeg", "libturbojpeg.so.0"}) {
      try {
        return Native.load(name, Lib.class);
      } catch (LinkageError e) {
        // not here under that name: try the next, then leave JPEGs to the JDK
      }
    }
    return null;
  }
}
