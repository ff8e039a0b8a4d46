package dev.clipstream.model.fewshot;

import dev.clipstream.model.features.LabelledFeatures;
import dev.clipstream.model.features.Vectors;
import java.util.List;

/**
 * A multinomial logistic regression on image embeddings — the CLIP paper's linear probe — fitted by
 * full-batch Adam with an L2 penalty that pulls the weights towards a starting point. Started from
 * the zero-shot weights (text weights times the model's temperature), the penalty keeps a probe fit
 * on a few shots close to zero-shot CLIP instead of over-fitting them; started from zero it is the
 * paper's plain probe.
 *
 * <p>Sizes are small (labels × embedding width, a few hundred examples), so plain arrays do.
 */
public final class LinearProbe {

  /** Steps of full-batch Adam. */
  static final int STEPS = 300;

  /** Adam's step size. */
  static final double LEARNING_RATE = 0.05;

  private final List<String> classes;
  private final float[][] weights;
  private final float[] bias;

  private LinearProbe(List<String> classes, float[][] weights, float[] bias) {
    this.classes = List.copyOf(classes);
    this.weights = weights;
    this.bias = bias;
  }

  /**
   * Fits a probe over {@code classes} on {@code train}.
   *
   * @param start starting weights (row per class), or null for zeros
   * @param l2 the penalty on the distance from {@code start}, per example
   */
  public static LinearProbe fit(
      LabelledFeatures train, List<String> classes, float[][] start, double l2) {
    int c = classes.size();
    int n = train.count();
    if (n == 0) {
      throw new IllegalArgumentException("a linear probe needs at least one example");
    }
    int d = train.vectors()[0].length;
    double[][] w = new double[c][d];
    double[][] w0 = new double[c][d];
    if (start != null) {
      for (int k = 0; k < c; k++) {
        for (int j = 0; j < d; j++) {
          w[k][j] = start[k][j];
          w0[k][j] = start[k][j];
        }
      }
    }
    double[] b = new double[c];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = classes.indexOf(train.labels().get(i));
      if (y[i] < 0) {
        throw new IllegalArgumentException(
            "example label '" + train.labels().get(i) + "' is not one of " + classes);
      }
    }
    Adam adamW = new Adam(c * d);
    Adam adamB = new Adam(c);
    double[] gw = new double[c * d];
    double[] gb = new double[c];
    double[] logits = new double[c];
    for (int step = 1; step <= STEPS; step++) {
      java.util.Arrays.fill(gw, 0);
      java.util.Arrays.fill(gb, 0);
      for (int i = 0; i < n; i++) {
        float[] x = train.vectors()[i];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
          double z = b[k];
          for (int j = 0; j < d; j++) {
            z += w[k][j] * x[j];
          }
          logits[k] = z;
          max = Math.max(max, z);
        }
        double sum = 0;
        for (int k = 0; k < c; k++) {
          logits[k] = Math.exp(logits[k] - max);
          sum += logits[k];
        }
        for (int k = 0; k < c; k++) {
          double g = (logits[k] / sum - (k == y[i] ? 1 : 0)) / n;
          gb[k] += g;
          for (int j = 0; j < d; j++) {
            gw[k * d + j] += g * x[j];
          }
        }
      }
      for (int k = 0; k < c; k++) {
        for (int j = 0; j < d; j++) {
          gw[k * d + j] += l2 * (w[k][j] - w0[k][j]);
        }
      }
      double[] dw = adamW.step(gw, step);
      double[] db = adamB.step(gb, step);
      for (int k = 0; k < c; k++) {
        b[k] -= db[k];
        for (int j = 0; j < d; j++) {
          w[k][j] -= dw[k * d + j];
        }
      }
    }
    float[][] fw = new float[c][d];
    float[] fb = new float[c];
    for (int k = 0; k < c; k++) {
      fb[k] = (float) b[k];
      for (int j = 0; j < d; j++) {
        fw[k][j] = (float) w[k][j];
      }
    }
    return new LinearProbe(classes, fw, fb);
  }

  /** The probe's class probabilities of one embedding. */
  public float[] probabilities(float[] embedding) {
    float[] logits = new float[classes.size()];
    for (int k = 0; k < logits.length; k++) {
      logits[k] = bias[k] + Vectors.dot(weights[k], embedding);
    }
    Vectors.softmaxInPlace(logits);
    return logits;
  }

  /** The most probable class of one embedding. */
  public String predict(float[] embedding) {
    float[] p = probabilities(embedding);
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return classes.get(best);
  }

  public List<String> classes() {
    return classes;
  }

  /** Adam's moment estimates for one parameter vector (β1 0.9, β2 0.999, ε 1e-8). */
  private static final class Adam {
    private final double[] m;
    private final double[] v;
    private final double[] delta;

    Adam(int size) {
      m = new double[size];
      v = new double[size];
      delta = new double[size];
    }

    double[] step(double[] grad, int t) {
      double c1 = 1 - Math.pow(0.9, t);
      double c2 = 1 - Math.pow(0.999, t);
      for (int i = 0; i < grad.length; i++) {
        m[i] = 0.9 * m[i] + 0.1 * grad[i];
        v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
        delta[i] = LEARNING_RATE * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
      }
      return delta;
    }
  }
}
