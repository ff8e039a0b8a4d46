package dev.clipstream.model.fewshot;

import dev.clipstream.model.features.Vectors;
import dev.clipstream.model.zeroshot.ScoredLabel;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifier weights per label, from text, from examples or from both, and the scoring that uses
 * them: the cosine of an image embedding with each label's weights, scaled by the model's
 * temperature and soft-maxed, as zero-shot CLIP scores its text weights.
 *
 * <p>The blend treats the text weights as a prior worth {@code priorShots} examples: a label with
 * {@code n} examples gets {@code normalise(k/(n+k) * text + n/(n+k) * prototype)} with k =
 * priorShots, so one example moves a label a little and many examples let its images speak. The
 * CLIP paper finds zero-shot CLIP about as good as a 4-shot linear probe on the same features,
 * which is where the default of 4 comes from.
 *
 * <p>A label taught by examples is put on the scale of the labels that are not ({@code offsets}):
 * an image lies much closer (cosine) to a prototype of images than to any text weight, CLIP's
 * modality gap, so uncorrected a taught label wins images of every other class. Its offset is how
 * much closer its examples are, on average, to its weights ({@code w·mean}) than its prototype, a
 * typical image of it, is to the nearest text label that has no examples; that is subtracted from
 * its cosine. When every label has examples no label is on the text scale and none is shifted.
 */
public record AdaptedLabels(
    List<String> names, float[][] weights, List<LabelSource> sources, float[] offsets) {

  /** The text's weight in examples: see the class comment. */
  public static final float DEFAULT_PRIOR_SHOTS = 4f;

  public AdaptedLabels {
    names = List.copyOf(names);
    sources = List.copyOf(sources);
    if (names.size() != weights.length
        || names.size() != sources.size()
        || names.size() != offsets.length) {
      throw new IllegalArgumentException("names, weights, sources and offsets differ in length");
    }
  }

  /** Labels with no offsets: every cosine scored as it is. */
  public AdaptedLabels(List<String> names, float[][] weights, List<LabelSource> sources) {
    this(names, weights, sources, new float[names.size()]);
  }

  /** Zero-shot only: every label from its text. */
  public static AdaptedLabels fromText(List<String> names, float[][] textWeights) {
    return new AdaptedLabels(
        names, textWeights, names.stream().map(n -> LabelSource.TEXT).toList());
  }

  /**
   * The text labels blended with the examples in {@code prototypes}, followed by the labels that
   * have examples but no text (taught by examples alone), in the order their first example came.
   */
  public static AdaptedLabels blend(
      List<String> textLabels,
      float[][] textWeights,
      ClassPrototypes prototypes,
      float priorShots) {
    if (priorShots < 0 || Float.isNaN(priorShots)) {
      throw new IllegalArgumentException("prior shots must be >= 0: " + priorShots);
    }
    List<String> names = new ArrayList<>(textLabels);
    List<float[]> weights = new ArrayList<>();
    List<LabelSource> sources = new ArrayList<>();
    for (int i = 0; i < textLabels.size(); i++) {
      int n = prototypes.count(textLabels.get(i));
      if (n == 0) {
        weights.add(textWeights[i]);
        sources.add(LabelSource.TEXT);
        continue;
      }
      float[] prototype = prototypes.prototype(textLabels.get(i));
      float textShare = priorShots / (n + priorShots);
      float[] mixed = new float[prototype.length];
      for (int j = 0; j < mixed.length; j++) {
        mixed[j] = textShare * textWeights[i][j] + (1 - textShare) * prototype[j];
      }
      weights.add(Vectors.normalised(mixed));
      sources.add(LabelSource.BOTH);
    }
    for (String label : prototypes.labels()) {
      if (!textLabels.contains(label)) {
        names.add(label);
        weights.add(prototypes.prototype(label));
        sources.add(LabelSource.EXAMPLES);
      }
    }
    float[][] rows = weights.toArray(float[][]::new);
    return new AdaptedLabels(names, rows, sources, offsets(names, rows, sources, prototypes));
  }

  /**
   * Each taught label's shift onto the text labels' scale (see the class comment); all 0 when no
   * label is left without examples. Never negative: the correction only holds a label back.
   */
  static float[] offsets(
      List<String> names, float[][] weights, List<LabelSource> sources, ClassPrototypes taught) {
    float[] offsets = new float[names.size()];
    List<Integer> untaught = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (sources.get(i) == LabelSource.TEXT) {
        untaught.add(i);
      }
    }
    if (untaught.isEmpty()) {
      return offsets;
    }
    for (int i = 0; i < names.size(); i++) {
      if (sources.get(i) == LabelSource.TEXT) {
        continue;
      }
      String label = names.get(i);
      double[] sum = taught.sum(label);
      int n = taught.count(label);
      float[] mean = new float[sum.length];
      for (int j = 0; j < mean.length; j++) {
        mean[j] = (float) (sum[j] / n);
      }
      float[] prototype = taught.prototype(label);
      float nearestText = -Float.MAX_VALUE;
      for (int t : untaught) {
        nearestText = Math.max(nearestText, Vectors.dot(weights[t], prototype));
      }
      offsets[i] = Math.max(0f, Vectors.dot(weights[i], mean) - nearestText);
    }
    return offsets;
  }

  /** Softmax probabilities over the labels of one normalised image embedding. */
  public float[] probabilities(float[] embedding, float logitScale) {
    float[] logits = new float[weights.length];
    for (int i = 0; i < weights.length; i++) {
      logits[i] = logitScale * (Vectors.dot(weights[i], embedding) - offsets[i]);
    }
    Vectors.softmaxInPlace(logits);
    return logits;
  }

  /** The {@code k} most probable labels of one normalised image embedding, best first. */
  public List<ScoredLabel> top(float[] embedding, float logitScale, int k) {
    return ranked(probabilities(embedding, logitScale), names, k);
  }

  /** The {@code k} highest of {@code probabilities}, best first, named from {@code names}. */
  public static List<ScoredLabel> ranked(float[] probabilities, List<String> names, int k) {
    Integer[] order = new Integer[probabilities.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
    List<ScoredLabel> top = new ArrayList<>();
    for (int i = 0; i < Math.min(k, order.length); i++) {
      top.add(new ScoredLabel(order[i], names.get(order[i]), probabilities[order[i]]));
    }
    return top;
  }
}
