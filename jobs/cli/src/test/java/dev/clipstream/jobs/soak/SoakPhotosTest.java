package dev.clipstream.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The real-size soak's events are photo-sized JPEGs, the same bytes in every run. */
class SoakPhotosTest {

  @Test
  void fiftyFourDistinctJpegsWithLongerSidesFrom256To640() throws Exception {
    SoakPhotos photos = SoakPhotos.load();
    Set<Integer> sides = new HashSet<>();
    Set<String> distinct = new HashSet<>();
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(224));

    for (int i = 0; i < photos.count(); i++) {
      byte[] jpeg = photos.jpeg(i);
      assertEquals((byte) 0xFF, jpeg[0]);
      assertEquals((byte) 0xD8, jpeg[1], "a JPEG start-of-image marker");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
      sides.add(Math.max(image.getWidth(), image.getHeight()));
      distinct.add(
          java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(jpeg)));
      assertTrue(
          preprocessor.preprocess(jpeg) instanceof ImagePreprocessor.Pixels,
          "the job's decoder takes variant " + i);
    }

    assertEquals(54, photos.count());
    assertEquals(54, distinct.size());
    assertEquals(Set.of(256, 320, 400, 480, 560, 640), sides);
  }

  @Test
  void theSameBytesEveryTime() {
    SoakPhotos a = SoakPhotos.load();
    SoakPhotos b = SoakPhotos.load();
    for (int i = 0; i < a.count(); i++) {
      assertArrayEquals(a.jpeg(i), b.jpeg(i));
    }
  }

  @Test
  void everyOtherEventIsCaptionedAndIdsAreNumbered() {
    SoakPhotos photos = SoakPhotos.load();

    assertEquals("soak-7", photos.event(7).getEventId());
    assertTrue(photos.event(4).getCaption() != null);
    assertEquals(null, photos.event(5).getCaption());
    assertEquals("image/jpeg", photos.event(0).getContentType());
  }
}
