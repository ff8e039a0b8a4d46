package dev.clipstream.model.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.features.Vectors;
import org.junit.jupiter.api.Test;

/** The window of recent embeddings that near-duplicates are found in. */
class NearDuplicateWindowTest {

  private static final float[] A = Vectors.normalised(new float[] {1, 0.01f, 0});
  private static final float[] A_COPY = Vectors.normalised(new float[] {1, 0.02f, 0});
  private static final float[] B = Vectors.normalised(new float[] {0, 1, 0});

  @Test
  void flagsAnImageCloseToARecentOneWithItsIdAndSimilarity() {
    NearDuplicateWindow window = new NearDuplicateWindow(10, 0.99f);
    assertTrue(window.checkAndAdd("", "a", A).isEmpty());
    assertTrue(window.checkAndAdd("", "b", B).isEmpty());
    var match = window.checkAndAdd("", "a2", A_COPY).orElseThrow();
    assertEquals("a", match.eventId());
    assertEquals(Vectors.dot(A, A_COPY), match.similarity(), 1e-6f);
  }

  @Test
  void forgetsTheOldestBeyondItsCapacity() {
    NearDuplicateWindow window = new NearDuplicateWindow(1, 0.99f);
    window.add("", "a", A);
    window.add("", "b", B);
    assertTrue(window.check("", A_COPY).isEmpty());
  }

  @Test
  void keepsScopesApart() {
    NearDuplicateWindow window = new NearDuplicateWindow(10, 0.99f);
    window.add("shop-1", "a", A);
    assertTrue(window.check("shop-2", A_COPY).isEmpty());
    assertTrue(window.check("shop-1", A_COPY).isPresent());
  }

  @Test
  void restoresWhatItRemembered() {
    NearDuplicateWindow window = new NearDuplicateWindow(10, 0.99f);
    window.add("s", "a", A);
    window.add("t", "b", B);
    NearDuplicateWindow restored = new NearDuplicateWindow(10, 0.99f);
    restored.restore(window.entries());
    assertEquals("a", restored.check("s", A_COPY).orElseThrow().eventId());
    assertEquals(2, restored.entries().size());
  }
}
