package dev.clipstream.model.fewshot;

import dev.clipstream.model.features.Vectors;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running sum and count of the normalised image embeddings seen for each label: their mean,
 * normalised, is the label's prototype. Adding an example is O(d), so prototypes follow a stream of
 * labelled events exactly, and the state is a few floats per label.
 */
public final class ClassPrototypes implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final Map<String, double[]> sums = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private long version;

  public ClassPrototypes(int dimension) {
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive: " + dimension);
    }
    this.dimension = dimension;
  }

  /** Adds one example of {@code label}: a normalised image embedding. */
  public void add(String label, float[] embedding) {
    if (embedding.length != dimension) {
      throw new IllegalArgumentException(
          "an example of '"
              + label
              + "' has "
              + embedding.length
              + " dimensions, the prototypes "
              + dimension);
    }
    double[] sum = sums.computeIfAbsent(label, l -> new double[dimension]);
    for (int i = 0; i < dimension; i++) {
      sum[i] += embedding[i];
    }
    counts.merge(label, 1, Integer::sum);
    version++;
  }

  /** Examples seen of {@code label} (0 if none). */
  public int count(String label) {
    return counts.getOrDefault(label, 0);
  }

  /** The normalised mean of {@code label}'s examples, or null if it has none. */
  public float[] prototype(String label) {
    double[] sum = sums.get(label);
    if (sum == null) {
      return null;
    }
    float[] mean = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      mean[i] = (float) sum[i];
    }
    return Vectors.normalised(mean);
  }

  /** Labels with at least one example, in the order their first example came. */
  public List<String> labels() {
    return List.copyOf(sums.keySet());
  }

  public int dimension() {
    return dimension;
  }

  /** How many examples were added in all: the prototypes' version. */
  public long version() {
    return version;
  }
}
