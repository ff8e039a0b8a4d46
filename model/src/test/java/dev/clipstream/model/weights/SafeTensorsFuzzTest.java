package dev.clipstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever a weights file holds, the safetensors reader either reads it, and then every tensor's
 * bytes lie inside the file and match its dtype and shape, or refuses it with a {@link
 * SafeTensorsFormatException}; nothing else escapes. Plain test runs replay the seed corpus in
 * {@code SafeTensorsFuzzTestInputs/}; {@code JAZZER_FUZZ=1} explores.
 */
class SafeTensorsFuzzTest {

  @FuzzTest(maxDuration = "3m")
  void readsOrRefuses(byte[] bytes) {
    SafeTensorsFile file;
    try {
      file = SafeTensorsFile.read(bytes);
    } catch (SafeTensorsFormatException refused) {
      return;
    }
    for (var entry : file.tensors().entrySet()) {
      TensorInfo info = entry.getValue();
      assertEquals(
          info.end() - info.begin(),
          file.raw(entry.getKey()).remaining(),
          "tensor " + entry.getKey() + " reads the bytes it declares");
      switch (info.dtype()) {
        case F32, F16, BF16, F64 -> file.floats(entry.getKey());
        case I64, I32, U8 -> file.longs(entry.getKey());
        default -> file.raw(entry.getKey());
      }
    }
  }
}
