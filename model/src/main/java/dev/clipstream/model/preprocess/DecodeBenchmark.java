package dev.clipstream.model.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Decode + preprocessing speed on one thread, per photo size: encoded bytes to a CLIP input tensor
 * through {@link ImagePreprocessor}, as the tagging job does it. Besides wall-clock images/s it
 * reports images per second of the thread's own CPU time, which a busy machine disturbs less.
 *
 * <p>The photos are made deterministically from the 512×512 JPEG (quality 90, 4:2:0) of the
 * reference fixtures ({@code bench-astronaut-q90.jpg}, Pillow's encoding of scikit-image's
 * astronaut): that file itself; its pixels enlarged to 1024×1024 with {@link PilResize} (bicubic)
 * and written by the JDK's JPEG writer at quality 0.9; and its pixels written as PNG by the JDK.
 */
public final class DecodeBenchmark {

  /** A benchmark input. */
  public record Photo(String name, int width, int height, byte[] bytes) {}

  /**
   * One photo's measurement on one thread; {@code systemShare}: the part of its CPU time spent in
   * the kernel (page faults, where the heap is not yet touched), NaN where the JVM does not tell.
   */
  public record Row(
      Photo photo,
      int images,
      double imagesPerSecond,
      double imagesPerCpuSecond,
      double systemShare) {}

  private DecodeBenchmark() {}

  /** The three photos: 512×512 JPEG, 1024×1024 JPEG, 512×512 PNG. */
  public static List<Photo> photos() {
    byte[] jpeg512;
    try (InputStream in = DecodeBenchmark.class.getResourceAsStream("bench-astronaut-q90.jpg")) {
      jpeg512 = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DecodedImage pixels =
        ((DecodeOutcome.Decoded) new ImageDecoder(1 << 20, 1 << 24).decode(jpeg512)).image();
    DecodedImage large = PilResize.resize(pixels, 1024, 1024);
    List<Photo> photos = new ArrayList<>();
    photos.add(new Photo("512×512 JPEG q90", 512, 512, jpeg512));
    photos.add(new Photo("1024×1024 JPEG q90", 1024, 1024, jpeg(image(large), 0.9f)));
    photos.add(new Photo("512×512 PNG", 512, 512, png(image(pixels))));
    return photos;
  }

  /**
   * JPEG photos of three sizes for the real-size pipeline run: the 512×512 file, and its pixels
   * resized (bicubic) to 640×480 (a landscape photo, so the crop matters) and 1024×1024, written at
   * quality 0.9.
   */
  public static List<Photo> jpegs() {
    List<Photo> photos = photos();
    DecodedImage pixels =
        ((DecodeOutcome.Decoded) new ImageDecoder(1 << 20, 1 << 24).decode(photos.get(0).bytes()))
            .image();
    DecodedImage landscape = PilResize.resize(pixels, 640, 480);
    return List.of(
        photos.get(0),
        new Photo("640×480 JPEG q90", 640, 480, jpeg(image(landscape), 0.9f)),
        photos.get(1));
  }

  /**
   * Preprocesses {@code photo} to {@code size} for {@code warmup} then {@code seconds} seconds of
   * wall time on the calling thread.
   */
  public static Row measure(Photo photo, int size, double warmup, double seconds) {
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(size));
    if (!(preprocessor.preprocess(photo.bytes()) instanceof ImagePreprocessor.Pixels)) {
      throw new IllegalStateException(photo.name() + " does not decode");
    }
    // One thread's working memory, kept from image to image as a stream operator keeps it.
    try (DecodeScratch scratch = new DecodeScratch()) {
      run(preprocessor, scratch, photo, warmup);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long user0 = threads.getCurrentThreadUserTime();
      long wall0 = System.nanoTime();
      int n = run(preprocessor, scratch, photo, seconds);
      double wall = (System.nanoTime() - wall0) / 1e9;
      long cpuNanos = threads.getCurrentThreadCpuTime() - cpu0;
      long userNanos = threads.getCurrentThreadUserTime() - user0;
      double system =
          cpu0 < 0 || user0 < 0
              ? Double.NaN
              : Math.max(0, cpuNanos - userNanos) / (double) cpuNanos;
      return new Row(photo, n, n / wall, n / (cpuNanos / 1e9), system);
    }
  }

  private static int run(
      ImagePreprocessor preprocessor, DecodeScratch scratch, Photo photo, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int n = 0;
    do {
      preprocessor.preprocess(photo.bytes(), scratch);
      n++;
    } while (System.nanoTime() < end);
    return n;
  }

  private static BufferedImage image(DecodedImage rgb) {
    BufferedImage image =
        new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
    byte[] p = rgb.pixels();
    for (int i = 0; i < p.length; i += 3) {
      bgr[i] = p[i + 2];
      bgr[i + 1] = p[i + 1];
      bgr[i + 2] = p[i];
    }
    return image;
  }

  private static byte[] jpeg(BufferedImage image, float quality) {
    return JpegEncoder.encode(image, quality);
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Prints one line per photo: {@code java -cp ... DecodeBenchmark [seconds] [label]}, usable
   * against an older build of this package to compare before and after in one run; {@code
   * DecodeBenchmark --write DIR} writes the photos to DIR instead.
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("--write")) {
      // The photos as files, for timing another decoder (bench/pillow-preprocess.py) on them.
      java.nio.file.Path dir =
          java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[1]));
      for (Photo photo : photos()) {
        String file =
            photo.name().replace("×", "x").replace(' ', '-').toLowerCase(java.util.Locale.ROOT);
        java.nio.file.Files.write(
            dir.resolve(file + (file.contains("png") ? ".png" : ".jpg")), photo.bytes());
      }
      return;
    }
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    String label = args.length > 1 ? args[1] : "";
    for (Photo photo : photos()) {
      Row r = measure(photo, 224, Math.min(2, seconds), seconds);
      System.out.printf(
          java.util.Locale.ROOT,
          "%s%s (%d bytes): %.1f images/s wall, %.1f per CPU-second (%.0f%% system), %d images%n",
          label,
          photo.name(),
          photo.bytes().length,
          r.imagesPerSecond(),
          r.imagesPerCpuSecond(),
          100 * r.systemShare(),
          r.images());
    }
  }
}
