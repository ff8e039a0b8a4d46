package dev.clipstream.model.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A GIF whose first frame (4×4 of green at (2, 2)) is smaller than its 8×8 logical screen; its
 * palette is red, green, blue, yellow and its background index 3. Pillow 9.4 (Debian's python3-pil
 * 9.4.0) opens both files at 8×8 and fills around the frame with index 0 (red), or with the
 * transparent index 2 (blue) in the file whose frame declares one — not with the background colour.
 */
class GifCanvasTest {

  @ParameterizedTest
  @CsvSource({"offset-frame.gif, 255, 0, 0", "offset-frame-transparent.gif, 0, 0, 255"})
  void placesTheFirstFrameOnItsLogicalScreenAsPillowDoes(String file, int r, int g, int b)
      throws IOException {
    DecodedImage image =
        PillowDecodeTest.decode(PillowDecodeTest.resource("formats/" + file)).toRgb();

    assertEquals(8, image.width());
    assertEquals(8, image.height());
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        boolean inFrame = x >= 2 && x < 6 && y >= 2 && y < 6;
        int[] expected = inFrame ? new int[] {0, 255, 0} : new int[] {r, g, b};
        for (int c = 0; c < 3; c++) {
          assertEquals(expected[c], image.at(x, y, c), file + " at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void refusesAGifWhoseScreenIsABombEvenWhenItsFrameIsSmall() throws IOException {
    byte[] gif = PillowDecodeTest.resource("formats/offset-frame.gif");
    gif[6] = (byte) 0xFF; // logical screen width 65535
    gif[7] = (byte) 0xFF;
    gif[8] = (byte) 0xFF; // and height 65535
    gif[9] = (byte) 0xFF;

    DecodeOutcome.Rejected r =
        assertInstanceOf(
            DecodeOutcome.Rejected.class, new ImageDecoder(40_000_000, 1 << 20).decode(gif));

    assertEquals(DecodeOutcome.Reason.TOO_MANY_PIXELS, r.reason(), r.message());
    assertTrue(r.message().contains("65535x65535"), r.message());
  }
}
