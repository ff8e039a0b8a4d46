package dev.clipstream.model.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Image embeddings (L2-normalised, one row per image) with their true labels: what a labelled set
 * becomes once it went through the image encoder, so that few-shot fits, calibrations and duplicate
 * checks can be repeated without encoding again.
 */
public record LabelledFeatures(float[][] vectors, List<String> labels) {

  public LabelledFeatures {
    if (vectors.length != labels.size()) {
      throw new IllegalArgumentException(
          vectors.length + " vectors but " + labels.size() + " labels");
    }
    labels = List.copyOf(labels);
  }

  public int count() {
    return vectors.length;
  }

  /** Rows {@code [from, to)}. */
  public LabelledFeatures slice(int from, int to) {
    float[][] part = new float[to - from][];
    System.arraycopy(vectors, from, part, 0, to - from);
    return new LabelledFeatures(part, labels.subList(from, to));
  }

  /**
   * {@code k} rows of each label, chosen at random with {@code seed} (every row of a label that has
   * fewer), in label order: the K-shot training sets of the CLIP paper's few-shot probes.
   */
  public LabelledFeatures shots(int k, long seed) {
    Map<String, List<Integer>> byLabel = new TreeMap<>();
    for (int i = 0; i < count(); i++) {
      byLabel.computeIfAbsent(labels.get(i), l -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed);
    List<float[]> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : byLabel.entrySet()) {
      List<Integer> rowsOfLabel = new ArrayList<>(e.getValue());
      java.util.Collections.shuffle(rowsOfLabel, random);
      for (int i = 0; i < Math.min(k, rowsOfLabel.size()); i++) {
        rows.add(vectors[rowsOfLabel.get(i)]);
        names.add(e.getKey());
      }
    }
    return new LabelledFeatures(rows.toArray(float[][]::new), names);
  }
}
