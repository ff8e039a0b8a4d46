package dev.clipstream.model.fewshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.features.LabelledFeatures;
import dev.clipstream.model.features.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linear probe fits what it is shown and stays near its start when told to. */
class LinearProbeTest {

  @Test
  void separatesClustersItWasFittedOn() {
    LabelledFeatures train = clusters(20, 1);
    LinearProbe probe = LinearProbe.fit(train, List.of("a", "b", "c"), null, 0);
    LabelledFeatures test = clusters(50, 2);
    assertTrue(FewShotEvaluation.accuracy(probe, test) > 0.95);
  }

  @Test
  void aStrongPullKeepsTheZeroShotStart() {
    // The start says the opposite of the data: with a huge penalty the probe must keep it.
    float[][] start = {{0, 0, 10}, {10, 0, 0}, {0, 10, 0}};
    LinearProbe probe = LinearProbe.fit(clusters(20, 1), List.of("a", "b", "c"), start, 1e6);
    assertEquals("b", probe.predict(new float[] {1, 0, 0}));
    assertEquals("a", probe.predict(new float[] {0, 0, 1}));
  }

  /** Three noisy clusters around the axes, labelled a, b, c. */
  static LabelledFeatures clusters(int perClass, long seed) {
    Random random = new Random(seed);
    List<float[]> vectors = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    String[] names = {"a", "b", "c"};
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < perClass; i++) {
        float[] v = new float[3];
        v[c] = 1;
        for (int j = 0; j < 3; j++) {
          v[j] += (float) (0.3 * random.nextGaussian());
        }
        vectors.add(Vectors.normalised(v));
        labels.add(names[c]);
      }
    }
    return new LabelledFeatures(vectors.toArray(float[][]::new), labels);
  }
}
