package dev.clipstream.model.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClassPrototypesTest {

  @Test
  void aBoundedLabelKeepsItsCountAndLetsTheNewestExampleReplaceAnAverageOne() {
    ClassPrototypes p = new ClassPrototypes(2);
    p.addBounded("a", new float[] {1, 0}, 2);
    p.addBounded("a", new float[] {1, 0}, 2);
    p.addBounded("a", new float[] {0, 1}, 2);

    assertEquals(2, p.count("a"));
    // sum (2, 0) halved to (1, 0), plus (0, 1): the prototype lies halfway.
    assertArrayEquals(new double[] {1, 1}, p.sum("a"), 1e-12);
    assertEquals(3, p.version());
  }

  @Test
  void prototypesPutBackFromTheirSumsAreTheSame() {
    ClassPrototypes p = new ClassPrototypes(2);
    p.add("a", new float[] {1, 0});
    p.add("a", new float[] {0.6f, 0.8f});
    p.add("b", new float[] {0, 1});

    ClassPrototypes back = new ClassPrototypes(2);
    for (String label : p.labels()) {
      back.addSum(label, p.sum(label), p.count(label));
    }

    assertEquals(p.labels(), back.labels());
    assertEquals(2, back.count("a"));
    assertArrayEquals(p.prototype("a"), back.prototype("a"));
    assertArrayEquals(p.prototype("b"), back.prototype("b"));
  }
}
