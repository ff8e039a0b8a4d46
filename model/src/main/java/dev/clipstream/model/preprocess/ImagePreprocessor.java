package dev.clipstream.model.preprocess;

/**
 * OpenAI CLIP's image preprocessing: resize the shorter side to the input size (bicubic, as
 * Pillow), centre crop, make RGB, scale to [0, 1] and normalise with CLIP's mean and standard
 * deviation, giving a {@code [3, size, size]} tensor as a flat channel-major float array; or, by
 * {@link #crop}, stop before the floats so a stream carries the 8-bit crop and normalises where the
 * batch is made. Stateless and thread-safe.
 */
public final class ImagePreprocessor {

  /** CLIP's per-channel mean (OpenAI clip/clip.py, {@code _transform}). */
  public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

  /** CLIP's per-channel standard deviation (same source). */
  public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private final PreprocessOptions options;
  private final ImageDecoder decoder;

  public ImagePreprocessor(PreprocessOptions options) {
    this.options = options;
    this.decoder =
        new ImageDecoder(options.maxPixels(), options.maxBytes(), options.applyIccProfiles());
  }

  /** The outcome of preprocessing encoded bytes: pixels, or the decoder's rejection. */
  public sealed interface Outcome {}

  /** A preprocessed image. */
  public record Pixels(float[] chw, int size) implements Outcome {}

  /** An image refused by the decoder. */
  public record Refused(DecodeOutcome.Rejected rejection) implements Outcome {}

  /**
   * A resized and centre-cropped image before ToTensor and Normalize: its 8-bit RGB values ({@code
   * [3, size, size]}, channel-major), a quarter of the bytes of the float tensor, which {@link
   * #normalised} gives exactly as {@link #preprocess(byte[])} does.
   */
  public record Crop(byte[] rgb, int size) implements Outcome {
    /** The CLIP input tensor of this crop. */
    public float[] normalised() {
      float[] out = new float[rgb.length];
      normaliseInto(rgb, out, 0);
      return out;
    }
  }

  /** Decodes and preprocesses one encoded image. */
  public Outcome preprocess(byte[] encoded) {
    try (DecodeScratch scratch = new DecodeScratch()) {
      return preprocess(encoded, scratch);
    }
  }

  /** The same with the calling thread's {@code scratch}, kept for the next image. */
  public Outcome preprocess(byte[] encoded, DecodeScratch scratch) {
    PixelBuffer jpeg = decoder.plainJpegInScratch(encoded, scratch);
    if (jpeg != null) {
      return new Pixels(normalise(resizeAndCrop(jpeg, options.size(), scratch)), options.size());
    }
    DecodeOutcome decoded = decoder.decode(encoded, scratch);
    if (decoded instanceof DecodeOutcome.Rejected rejected) {
      return new Refused(rejected);
    }
    DecodedImage image = ((DecodeOutcome.Decoded) decoded).image();
    return new Pixels(normalise(resizeAndCrop(image, options.size(), scratch)), options.size());
  }

  /**
   * Decodes, resizes and centre-crops one encoded image, stopping before the floats: the {@link
   * Crop} a stream operator can hand on in a quarter of the bytes, or the decoder's rejection.
   */
  public Outcome crop(byte[] encoded) {
    try (DecodeScratch scratch = new DecodeScratch()) {
      return crop(encoded, scratch);
    }
  }

  /**
   * The same with the calling thread's {@code scratch}, whose buffers the next image reuses: what a
   * stream operator calls, one scratch per operator instance.
   */
  public Outcome crop(byte[] encoded, DecodeScratch scratch) {
    PixelBuffer jpeg = decoder.plainJpegInScratch(encoded, scratch);
    if (jpeg != null) {
      return new Crop(planarRgb(resizeAndCrop(jpeg, options.size(), scratch)), options.size());
    }
    DecodeOutcome decoded = decoder.decode(encoded, scratch);
    if (decoded instanceof DecodeOutcome.Rejected rejected) {
      return new Refused(rejected);
    }
    DecodedImage image = ((DecodeOutcome.Decoded) decoded).image();
    return new Crop(planarRgb(resizeAndCrop(image, options.size(), scratch)), options.size());
  }

  /** Preprocesses decoded pixels into a {@code [3, size, size]} float array. */
  public float[] preprocess(DecodedImage image) {
    return normalise(resizeAndCrop(image, options.size()));
  }

  /**
   * torchvision's Resize(int) then CenterCrop(int): the shorter side to {@code size} (bicubic, as
   * Pillow), the longer side truncated in proportion, then the centred square with offsets rounded
   * half to even, as Python's round(). Only the square is computed, which gives the same bytes.
   */
  static DecodedImage resizeAndCrop(DecodedImage image, int size) {
    try (DecodeScratch scratch = new DecodeScratch()) {
      return resizeAndCrop(image, size, scratch);
    }
  }

  /** The same with the calling thread's working memory. */
  static DecodedImage resizeAndCrop(DecodedImage image, int size, DecodeScratch scratch) {
    CentreCrop r = CentreCrop.of(image.width(), image.height(), size);
    return PilResize.resizeRegion(image, r.width, r.height, r.left, r.top, size, size, scratch);
  }

  /** The same for pixels the decoder left in {@code scratch}. */
  private static DecodedImage resizeAndCrop(PixelBuffer image, int size, DecodeScratch scratch) {
    CentreCrop r = CentreCrop.of(image.width(), image.height(), size);
    return PilResize.resample(image, false, r.width, r.height, r.left, r.top, size, size, scratch);
  }

  /** The size a {@code w × h} image is resized to, and the left and top of its centred square. */
  private record CentreCrop(int width, int height, int left, int top) {
    static CentreCrop of(int w, int h, int size) {
      int resizedW = w <= h ? size : (int) ((long) size * w / h);
      int resizedH = w <= h ? (int) ((long) size * h / w) : size;
      int top = (int) Math.rint((resizedH - size) / 2.0);
      int left = (int) Math.rint((resizedW - size) / 2.0);
      return new CentreCrop(resizedW, resizedH, left, top);
    }
  }

  /**
   * RGB from grey, RGBA or CMYK (as Pillow's convert("RGB"), after the crop as in OpenAI's
   * transform), then ToTensor and Normalize.
   */
  static float[] normalise(DecodedImage cropped) {
    DecodedImage image = cropped.cmyk() ? cropped.toRgb() : cropped;
    int n = image.width() * image.height();
    int c = image.channels();
    float[] out = new float[3 * n];
    byte[] pixels = image.pixels();
    for (int ch = 0; ch < 3; ch++) {
      float[] table = NORMALISED[ch];
      int from = c == 1 ? 0 : ch;
      int o = ch * n;
      for (int i = 0; i < n; i++) {
        out[o + i] = table[pixels[i * c + from] & 0xff];
      }
    }
    return out;
  }

  /**
   * RGB from grey, RGBA or CMYK as {@link #normalise} makes it, kept as bytes, channel-major: the
   * values {@link #normalise} looks up.
   */
  static byte[] planarRgb(DecodedImage cropped) {
    DecodedImage image = cropped.cmyk() ? cropped.toRgb() : cropped;
    int n = image.width() * image.height();
    int c = image.channels();
    byte[] out = new byte[3 * n];
    byte[] pixels = image.pixels();
    for (int ch = 0; ch < 3; ch++) {
      int from = c == 1 ? 0 : ch;
      int o = ch * n;
      for (int i = 0; i < n; i++) {
        out[o + i] = pixels[i * c + from];
      }
    }
    return out;
  }

  /** {@link #normalised} of every 8-bit value, per channel: the same floats, looked up. */
  private static final float[][] NORMALISED = new float[3][256];

  static {
    for (int ch = 0; ch < 3; ch++) {
      for (int v = 0; v < 256; v++) {
        NORMALISED[ch][v] = normalised(v, ch);
      }
    }
  }

  /** ToTensor then Normalize of one 8-bit value of channel {@code ch}. */
  private static float normalised(int v, int ch) {
    return (v / 255f - CLIP_MEAN[ch]) / CLIP_STD[ch];
  }

  /**
   * The 8-bit crop {@code rgb} ({@code [3, size, size]}, channel-major) resized to {@code side ×
   * side} as Pillow's {@code resize(BICUBIC)} does (antialiased when shrinking: the kernel widens
   * by the scale), as interleaved RGB bytes, row by row: what a thumbnail is made of.
   */
  public static byte[] resizedCrop(byte[] rgb, int size, int side) {
    try (DecodeScratch scratch = new DecodeScratch()) {
      return resizedCrop(rgb, size, side, scratch);
    }
  }

  /** The same with the calling thread's {@code scratch}, kept for the next crop. */
  public static byte[] resizedCrop(byte[] rgb, int size, int side, DecodeScratch scratch) {
    int n = size * size;
    if (rgb.length != 3 * n || side < 1) {
      throw new IllegalArgumentException(
          rgb.length + " bytes are not a 3x" + size + "x" + size + " crop, or side " + side);
    }
    byte[] interleaved = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      interleaved[3 * i] = rgb[i];
      interleaved[3 * i + 1] = rgb[n + i];
      interleaved[3 * i + 2] = rgb[2 * n + i];
    }
    return PilResize.resize(
            new DecodedImage(size, size, 3, interleaved, false), side, side, scratch)
        .pixels();
  }

  /**
   * The 8-bit RGB crop ({@code [3, size, size]}, channel-major) a preprocessed tensor was made
   * from: the exact inverse of the last step, a quarter of the size, for keeping images (a replay
   * buffer) without their float copies.
   *
   * @throws IllegalArgumentException when {@code chw} is not this preprocessor's output
   */
  public static byte[] quantise(float[] chw) {
    if (chw.length % 3 != 0) {
      throw new IllegalArgumentException(chw.length + " values are not three channels");
    }
    int n = chw.length / 3;
    byte[] out = new byte[chw.length];
    for (int ch = 0; ch < 3; ch++) {
      for (int i = 0; i < n; i++) {
        float x = chw[ch * n + i];
        int v = (int) Math.round(((double) x * CLIP_STD[ch] + CLIP_MEAN[ch]) * 255.0);
        if (v < 0 || v > 255 || Float.compare(normalised(v, ch), x) != 0) {
          throw new IllegalArgumentException(
              "value " + x + " of channel " + ch + " is not a normalised 8-bit value");
        }
        out[ch * n + i] = (byte) v;
      }
    }
    return out;
  }

  /**
   * Normalises an 8-bit RGB crop ({@code [3, size, size]}, channel-major) into {@code out} from
   * {@code offset}: the same floats as {@link #preprocess} gave for it.
   */
  public static void normaliseInto(byte[] rgb, float[] out, int offset) {
    normaliseInto(rgb, java.nio.FloatBuffer.wrap(out), offset);
  }

  /**
   * The same into a float buffer (a direct one the engine reads in place), from {@code offset}
   * (absolute: the buffer's position is not moved).
   */
  public static void normaliseInto(byte[] rgb, java.nio.FloatBuffer out, int offset) {
    int n = rgb.length / 3;
    for (int ch = 0; ch < 3; ch++) {
      float[] table = NORMALISED[ch];
      for (int i = 0; i < n; i++) {
        out.put(offset + ch * n + i, table[rgb[ch * n + i] & 0xff]);
      }
    }
  }
}
