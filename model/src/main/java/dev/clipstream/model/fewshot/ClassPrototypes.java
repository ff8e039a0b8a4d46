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

  /**
   * Adds {@code count} examples of {@code label} at once, given as the sum of their normalised
   * embeddings: how prototypes kept elsewhere (a checkpoint, a message) are put back.
   */
  public void addSum(String label, double[] sum, int count) {
    if (sum.length != dimension) {
      throw new IllegalArgumentException(
          "a sum for '"
              + label
              + "' has "
              + sum.length
              + " dimensions, the prototypes "
              + dimension);
    }
    if (count <= 0) {
      throw new IllegalArgumentException("a sum must stand for at least one example: " + count);
    }
    double[] into = sums.computeIfAbsent(label, l -> new double[dimension]);
    for (int i = 0; i < dimension; i++) {
      into[i] += sum[i];
    }
    counts.merge(label, count, Integer::sum);
    version += count;
  }

  /**
   * Adds one example of {@code label} keeping at most {@code maxCount} examples' worth: once the
   * label has that many, the new example replaces an average one ({@code sum ← sum·(m−1)/m + x}),
   * so the prototype follows the latest examples and the state stays bounded.
   */
  public void addBounded(String label, float[] embedding, int maxCount) {
    if (maxCount <= 0) {
      throw new IllegalArgumentException(
          "the most examples per label must be positive: " + maxCount);
    }
    int n = count(label);
    if (n < maxCount) {
      add(label, embedding);
      return;
    }
    double[] sum = sums.get(label);
    double keep = (n - 1) / (double) n;
    for (int i = 0; i < dimension; i++) {
      sum[i] *= keep;
    }
    counts.put(label, n - 1);
    add(label, embedding);
  }

  /** A copy of the sum of {@code label}'s example embeddings, or null if it has none. */
  public double[] sum(String label) {
    double[] sum = sums.get(label);
    return sum == null ? null : sum.clone();
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
