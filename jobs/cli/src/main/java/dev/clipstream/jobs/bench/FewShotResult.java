package dev.clipstream.jobs.bench;

import java.util.List;

/** What one {@link FewShotBenchmark} run measured, and a table of runs. */
public record FewShotResult(
    String name,
    Accuracy before,
    Accuracy after,
    long firstCorrectInJobMillis,
    long firstCorrectCommittedMillis,
    int examples) {

  /** Accuracy on the taught labels, the others, and all. */
  public record Accuracy(int taughtRight, int taught, int otherRight, int other) {
    public double taughtShare() {
      return taught == 0 ? Double.NaN : taughtRight / (double) taught;
    }

    public double otherShare() {
      return other == 0 ? Double.NaN : otherRight / (double) other;
    }

    public double allShare() {
      return (taughtRight + otherRight) / (double) (taught + other);
    }
  }

  /** The results as a Markdown table. */
  public static String table(List<FewShotResult> results) {
    StringBuilder md = new StringBuilder();
    md.append(
        "| run | examples | taught two: before → after | other eight: before → after | all: before"
            + " → after | first example → first correct tag, in job / committed |\n");
    md.append("| --- | ---: | --- | --- | --- | --- |\n");
    for (FewShotResult r : results) {
      md.append(
          String.format(
              java.util.Locale.ROOT,
              "| %s | %d | %.4f → %.4f (%d images) | %.4f → %.4f (%d) | %.4f → %.4f | %d ms / %d"
                  + " ms |\n",
              r.name(),
              r.examples(),
              r.before().taughtShare(),
              r.after().taughtShare(),
              r.after().taught(),
              r.before().otherShare(),
              r.after().otherShare(),
              r.after().other(),
              r.before().allShare(),
              r.after().allShare(),
              r.firstCorrectInJobMillis(),
              r.firstCorrectCommittedMillis()));
    }
    return md.toString();
  }
}
