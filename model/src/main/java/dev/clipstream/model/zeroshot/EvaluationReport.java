package dev.clipstream.model.zeroshot;

import java.util.List;

/**
 * Zero-shot accuracy on a labelled image set: overall, per class, and the confusion matrix ({@code
 * confusion[true][predicted]} counts).
 */
public record EvaluationReport(List<String> labels, int[][] confusion) {

  /** Images evaluated. */
  public int total() {
    int n = 0;
    for (int[] row : confusion) {
      for (int v : row) {
        n += v;
      }
    }
    return n;
  }

  /** Share of images whose top label is their true label. */
  public double accuracy() {
    int correct = 0;
    for (int i = 0; i < confusion.length; i++) {
      correct += confusion[i][i];
    }
    return total() == 0 ? 0 : (double) correct / total();
  }

  /** Accuracy over the images of the given true labels only. */
  public double accuracyOn(List<String> subset) {
    int correct = 0;
    int n = 0;
    for (String label : subset) {
      int i = labels.indexOf(label);
      for (int v : confusion[i]) {
        n += v;
      }
      correct += confusion[i][i];
    }
    return n == 0 ? 0 : (double) correct / n;
  }

  /** Recall of one class. */
  public double classAccuracy(int label) {
    int n = 0;
    for (int v : confusion[label]) {
      n += v;
    }
    return n == 0 ? 0 : (double) confusion[label][label] / n;
  }

  /** The report as text: accuracy, per-class accuracy, confusion matrix. */
  public String toText() {
    StringBuilder s = new StringBuilder();
    s.append(String.format("zero-shot accuracy %.4f on %d images%n%n", accuracy(), total()));
    int width = labels.stream().mapToInt(String::length).max().orElse(5);
    for (int i = 0; i < labels.size(); i++) {
      s.append(String.format("  %-" + width + "s  %.4f%n", labels.get(i), classAccuracy(i)));
    }
    s.append(String.format("%nconfusion (rows: true, columns: predicted)%n"));
    s.append(" ".repeat(width + 2));
    for (int j = 0; j < labels.size(); j++) {
      s.append(String.format("%6d", j));
    }
    s.append('\n');
    for (int i = 0; i < labels.size(); i++) {
      s.append(String.format("  %-" + width + "s", labels.get(i)));
      for (int v : confusion[i]) {
        s.append(String.format("%6d", v));
      }
      s.append(String.format("   (%d)%n", i));
    }
    return s.toString();
  }
}
