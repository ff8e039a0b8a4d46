package dev.clipstream.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.engine.DjlRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Arrays staged through bounded direct memory hold exactly the values given. */
class OwnedArraysTest {

  @ParameterizedTest(name = "[{0}, {1}]")
  @CsvSource({
    "3, 5", // one small step
    "9000, 1000", // rows split over three staging steps with a short last one
    "1, 5000000" // a single row larger than the staging buffer
  })
  void copiesEveryValueInOrderWhateverTheStaging(long rows, long columns) {
    float[] values = new float[Math.toIntExact(rows * columns)];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f;
    }
    try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
      NDArray array = OwnedArrays.copyOf(manager, values, new Shape(rows, columns));

      assertEquals(new Shape(rows, columns), array.getShape());
      assertArrayEquals(values, array.toFloatArray());
      assertEquals(1, manager.getManagedArrays().size(), "staging arrays are closed");
    }
  }
}
