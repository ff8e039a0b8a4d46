package dev.clipstream.jobs.runtime;

import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.schemas.ImageEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import javax.imageio.ImageIO;

/**
 * Fashion-MNIST test images as the events a producer would send: PNG bytes, every other one
 * captioned.
 */
public final class DemoImages implements DemoEvents {
  private final LabelledImages images;

  public DemoImages(LabelledImages images) {
    this.images = images;
  }

  /** Event {@code n} (images repeat after the last). */
  @Override
  public ImageEvent event(long n) {
    int i = (int) (n % images.count());
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(images.toBufferedImage(i), "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ImageEvent.newBuilder()
        .setEventId(id(n))
        .setEventTime(Instant.now())
        .setSource("clipstream-demo")
        .setImage(ByteBuffer.wrap(png.toByteArray()))
        .setContentType("image/png")
        .setCaption(
            n % 2 == 0
                ? "a photo of a " + images.className(i).toLowerCase(java.util.Locale.ROOT) + "."
                : null)
        .build();
  }

  /** The true label of event {@code n}. */
  @Override
  public java.util.Optional<String> label(long n) {
    return java.util.Optional.of(images.className((int) (n % images.count())));
  }

  /** The event id of event {@code n}. */
  public static String id(long n) {
    return "demo-" + n;
  }
}
