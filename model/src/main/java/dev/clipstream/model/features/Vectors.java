package dev.clipstream.model.features;

/** The few vector operations on L2-normalised embeddings that the adapters need. */
public final class Vectors {

  private Vectors() {}

  /** The dot product; the cosine similarity of two normalised vectors. */
  public static float dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors of different dimensions: " + a.length + " and " + b.length);
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return (float) sum;
  }

  /** {@code v} scaled to unit length (a copy); a zero vector stays zero. */
  public static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    if (norm == 0) {
      return out;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  /** Softmax of {@code logits} (numerically stable), in place. */
  public static void softmaxInPlace(float[] logits) {
    float max = Float.NEGATIVE_INFINITY;
    for (float x : logits) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double e = Math.exp(logits[i] - max);
      logits[i] = (float) e;
      sum += e;
    }
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (logits[i] / sum);
    }
  }
}
