package dev.clipstream.jobs.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.nn.GradMode;
import dev.clipstream.model.zeroshot.Label;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.TextEmbedder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A label set's zero-shot matrix [d, labels] under one model: each label the normalised mean of its
 * prompts' embeddings. Embedded in chunks of at most {@link #CHUNK_PROMPTS} prompts, so a large set
 * never needs one huge text batch; shared by the slots of a TaskManager through {@link
 * SharedResources}, keyed by the model and the set's content.
 */
final class LabelMatrix implements AutoCloseable {

  /** Prompts per text-encoder pass: bounds the activations of one pass. */
  static final int CHUNK_PROMPTS = 256;

  private final NDManager manager;
  private final NDArray matrix;

  private LabelMatrix(NDManager manager, NDArray matrix) {
    this.manager = manager;
    this.matrix = matrix;
  }

  /** One slot's hold on a shared matrix. */
  record Lease(String key, LabelMatrix matrix) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      SharedResources.release(key);
    }
  }

  /**
   * The matrix of {@code set} under the model {@code modelKey} names, embedded once per process.
   */
  static Lease acquire(String modelKey, ServingModel model, TextEmbedder texts, LabelSet set)
      throws Exception {
    String key = "labels:" + modelKey + ":" + contentKey(set);
    return new Lease(
        key,
        SharedResources.acquire(key, () -> embed(model.model().newBatchManager(), texts, set)));
  }

  NDArray matrix() {
    return matrix;
  }

  static LabelMatrix embed(NDManager manager, TextEmbedder texts, LabelSet set) {
    List<Label> labels = set.labels();
    float[][] columns = new float[labels.size()][];
    try (GradMode noGrad = GradMode.disabled()) {
      int from = 0;
      while (from < labels.size()) {
        List<String> prompts = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int to = from;
        while (to < labels.size()
            && (to == from
                || prompts.size() + set.promptsOf(labels.get(to)).size() <= CHUNK_PROMPTS)) {
          List<String> p = set.promptsOf(labels.get(to));
          prompts.addAll(p);
          counts.add(p.size());
          to++;
        }
        try (NDManager scratch = manager.newSubManager()) {
          NDArray all = texts.embed(scratch, prompts);
          int start = 0;
          for (int i = 0; i < counts.size(); i++) {
            NDArray mean = all.get(start + ":" + (start + counts.get(i))).mean(new int[] {0});
            columns[from + i] = mean.div(mean.norm()).toFloatArray();
            start += counts.get(i);
          }
        }
        from = to;
      }
    }
    int d = columns[0].length;
    float[] values = new float[d * labels.size()];
    for (int j = 0; j < labels.size(); j++) {
      for (int i = 0; i < d; i++) {
        values[i * labels.size() + j] = columns[j][i];
      }
    }
    return new LabelMatrix(manager, manager.create(values, new Shape(d, labels.size())));
  }

  /** SHA-256 of everything that goes into the matrix: the prompts of every label, in order. */
  static String contentKey(LabelSet set) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Label label : set.labels()) {
        update(sha, label.name());
        for (String prompt : set.promptsOf(label)) {
          update(sha, prompt);
        }
        sha.update((byte) 1);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  private static void update(MessageDigest sha, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    sha.update(java.nio.ByteBuffer.allocate(4).putInt(utf8.length).array());
    sha.update(utf8);
  }

  @Override
  public void close() {
    manager.close();
  }
}
