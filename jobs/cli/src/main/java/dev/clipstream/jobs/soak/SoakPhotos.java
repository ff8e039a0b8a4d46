package dev.clipstream.jobs.soak;

import dev.clipstream.jobs.runtime.DemoEvents;
import dev.clipstream.model.preprocess.JpegEncoder;
import dev.clipstream.schemas.ImageEvent;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Photo-sized JPEG events for the real-size soak: three photographs the project ships (scikit-image
 * sample data, the same files the model's JPEG tests decode) rescaled so that their longer side is
 * 256 to 640 px and written at JPEG qualities 60, 75 and 90. The 54 variants are made once, in a
 * fixed order, so every run streams the same bytes; every other event is captioned.
 */
public final class SoakPhotos implements DemoEvents {

  /** Longer side of the rescaled photos, px: from a thumbnail to a typical upload. */
  static final int[] SIDES = {256, 320, 400, 480, 560, 640};

  /** JPEG qualities (ImageIO's scale, 0-1): a heavily compressed, a usual and a fine photo. */
  static final float[] QUALITIES = {0.60f, 0.75f, 0.90f};

  /** The shipped photos and what they show (the label set of the soak). */
  static final List<String> SUBJECTS = List.of("astronaut", "coffee", "camera");

  /** The labels the soak tags with: the subjects and two that match none. */
  public static final List<String> LABELS =
      List.of("astronaut", "cup of coffee", "photographer", "dog", "car");

  private record Variant(String subject, byte[] jpeg) {}

  private final List<Variant> variants;

  private SoakPhotos(List<Variant> variants) {
    this.variants = variants;
  }

  /** Makes every variant (a second or two). */
  public static SoakPhotos load() {
    List<Variant> out = new ArrayList<>();
    for (String subject : SUBJECTS) {
      BufferedImage photo = read(subject);
      for (int side : SIDES) {
        BufferedImage scaled = scale(photo, side);
        for (float quality : QUALITIES) {
          out.add(new Variant(subject, jpeg(scaled, quality)));
        }
      }
    }
    return new SoakPhotos(List.copyOf(out));
  }

  /** How many distinct JPEGs there are. */
  public int count() {
    return variants.size();
  }

  /** The bytes of variant {@code i}. */
  public byte[] jpeg(int i) {
    return variants.get(i).jpeg().clone();
  }

  @Override
  public ImageEvent event(long n) {
    Variant v = variants.get((int) (n % variants.size()));
    return ImageEvent.newBuilder()
        .setEventId(id(n))
        .setEventTime(Instant.now())
        .setSource("clipstream-soak")
        .setImage(ByteBuffer.wrap(v.jpeg()))
        .setContentType("image/jpeg")
        .setCaption(n % 2 == 0 ? "a photo of the " + v.subject() + "." : null)
        .build();
  }

  @Override
  public Optional<String> label(long n) {
    return Optional.of(variants.get((int) (n % variants.size())).subject());
  }

  /** The event id of event {@code n}. */
  public static String id(long n) {
    return "soak-" + n;
  }

  private static BufferedImage read(String subject) {
    String resource = "photos/" + subject + ".jpg";
    try (InputStream in = SoakPhotos.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return ImageIO.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bicubic rescale to a longer side of {@code side}, keeping greyscale photos greyscale. */
  static BufferedImage scale(BufferedImage photo, int side) {
    double f = (double) side / Math.max(photo.getWidth(), photo.getHeight());
    int w = (int) Math.round(photo.getWidth() * f);
    int h = (int) Math.round(photo.getHeight() * f);
    int type =
        photo.getType() == BufferedImage.TYPE_BYTE_GRAY
            ? BufferedImage.TYPE_BYTE_GRAY
            : BufferedImage.TYPE_3BYTE_BGR;
    BufferedImage out = new BufferedImage(w, h, type);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(photo, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  static byte[] jpeg(BufferedImage image, float quality) {
    return JpegEncoder.encode(image, quality);
  }
}
