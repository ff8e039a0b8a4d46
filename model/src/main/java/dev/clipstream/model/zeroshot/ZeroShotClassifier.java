package dev.clipstream.model.zeroshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.clipstream.model.nn.GradMode;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's zero-shot classifier: one text embedding per label (the mean of its prompts' normalised
 * embeddings, normalised again), computed once per label-set version and model version and kept;
 * then per batch of images one matrix product, a softmax at the model's logit scale and the top k.
 */
public final class ZeroShotClassifier implements AutoCloseable {

  private final TextEmbedder embedder;
  private final NDManager manager;
  private CachedMatrix cached;

  private record CachedMatrix(
      String labelSet, long labelSetVersion, String modelVersion, NDArray matrix) {}

  public ZeroShotClassifier(TextEmbedder embedder, NDManager parent) {
    this.embedder = embedder;
    this.manager = parent.newSubManager();
  }

  /**
   * The label matrix [d, labels] of {@code set} under {@code modelVersion}, from the cache when
   * neither changed since the last call.
   */
  public synchronized NDArray labelMatrix(LabelSet set, String modelVersion) {
    if (cached != null
        && cached.labelSet().equals(set.name())
        && cached.labelSetVersion() == set.version()
        && cached.modelVersion().equals(modelVersion)) {
      return cached.matrix();
    }
    NDArray matrix = embedLabels(set);
    if (cached != null) {
      cached.matrix().close();
    }
    cached = new CachedMatrix(set.name(), set.version(), modelVersion, matrix);
    return matrix;
  }

  /** Whether the matrix of exactly this label-set version and model version is cached. */
  public synchronized boolean isCached(LabelSet set, String modelVersion) {
    return cached != null
        && cached.labelSet().equals(set.name())
        && cached.labelSetVersion() == set.version()
        && cached.modelVersion().equals(modelVersion);
  }

  private NDArray embedLabels(LabelSet set) {
    List<String> prompts = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (Label label : set.labels()) {
      List<String> p = set.promptsOf(label);
      prompts.addAll(p);
      counts.add(p.size());
    }
    try (GradMode noGrad = GradMode.disabled();
        NDManager scratch = manager.newSubManager()) {
      NDArray all = embedder.embed(scratch, prompts);
      NDList means = new NDList();
      int start = 0;
      for (int count : counts) {
        NDArray mean = all.get(start + ":" + (start + count)).mean(new int[] {0});
        means.add(mean.div(mean.norm()));
        start += count;
      }
      NDArray matrix = NDArrays.stack(means, 1);
      matrix.attach(manager);
      return matrix;
    }
  }

  /**
   * The top {@code k} labels of each image.
   *
   * @param imageEmbeddings L2-normalised image embeddings [n, d]
   * @param logitScale the model's temperature as used (exp of its log-parameter)
   */
  public List<List<ScoredLabel>> classify(
      NDArray imageEmbeddings, LabelSet set, String modelVersion, float logitScale, int k) {
    return classify(imageEmbeddings, labelMatrix(set, modelVersion), set, logitScale, k);
  }

  /**
   * The top {@code k} labels of each image against a label matrix [d, labels] of {@code set} made
   * elsewhere (e.g. embedded ahead of time, off the serving thread).
   */
  public static List<List<ScoredLabel>> classify(
      NDArray imageEmbeddings, NDArray matrix, LabelSet set, float logitScale, int k) {
    // Every temporary of this batch is closed with the scope.
    try (GradMode noGrad = GradMode.disabled();
        NDScope scope = new NDScope()) {
      NDArray probabilities = imageEmbeddings.matMul(matrix).mul(logitScale).softmax(1);
      return topK(probabilities.toType(DataType.FLOAT32, false).toFloatArray(), set, k);
    }
  }

  static List<List<ScoredLabel>> topK(float[] probabilities, LabelSet set, int k) {
    int labels = set.labels().size();
    int rows = probabilities.length / labels;
    int keep = Math.min(k, labels);
    List<List<ScoredLabel>> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      Integer[] order = new Integer[labels];
      for (int i = 0; i < labels; i++) {
        order[i] = i;
      }
      final int row = r;
      java.util.Arrays.sort(
          order,
          (a, b) ->
              Float.compare(probabilities[row * labels + b], probabilities[row * labels + a]));
      List<ScoredLabel> top = new ArrayList<>(keep);
      for (int i = 0; i < keep; i++) {
        top.add(
            new ScoredLabel(
                order[i], set.labels().get(order[i]).name(), probabilities[r * labels + order[i]]));
      }
      out.add(top);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    manager.close();
  }
}
