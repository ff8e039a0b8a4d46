package dev.clipstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * Files are mapped in pieces, so size is not limited by one buffer's 2 GiB: with pieces of a few
 * hundred bytes every tensor of the reference file, straddling boundaries or not, reads the same as
 * from one mapping.
 */
class SafeTensorsPiecesTest {

  private static Path reference() throws URISyntaxException {
    return Path.of(
        SafeTensorsPiecesTest.class
            .getResource("/dev/clipstream/model/reference-resnet/weights.safetensors")
            .toURI());
  }

  @Test
  void readsEveryTensorAlikeFromSmallPiecesAndFromOneMapping() throws Exception {
    SafeTensorsFile whole = SafeTensorsFile.read(reference(), Integer.MAX_VALUE);
    SafeTensorsFile pieces = SafeTensorsFile.read(reference(), 997);

    int straddling = 0;
    for (TensorInfo info : whole.tensors().values()) {
      if (info.begin() / 997 != (info.end() - 1) / 997) {
        straddling++;
      }
      if (info.dtype().isFloating()) {
        assertArrayEquals(whole.floats(info.name()), pieces.floats(info.name()), info.name());
      } else {
        assertArrayEquals(whole.longs(info.name()), pieces.longs(info.name()), info.name());
      }
    }
    assertTrue(straddling > 10, "tensors cross piece boundaries: " + straddling);
  }

  @Test
  void slicesAcrossSeveralPiecesInOrder() throws IOException, URISyntaxException {
    try (FileChannel channel = FileChannel.open(reference(), StandardOpenOption.READ)) {
      long length = 10_000;
      MappedPieces pieces = MappedPieces.map(channel, 100, length, 7);
      ByteBuffer one = channel.map(FileChannel.MapMode.READ_ONLY, 100, length);

      assertEquals((int) ((length + 6) / 7), pieces.pieceCount());
      for (long[] range : new long[][] {{0, 7}, {3, 30}, {6, 2}, {9_990, 10}, {0, 10_000}}) {
        ByteBuffer slice = pieces.slice(range[0], range[1]);
        for (int i = 0; i < range[1]; i++) {
          assertEquals(one.get((int) range[0] + i), slice.get(i), "byte " + (range[0] + i));
        }
      }
    }
  }
}
