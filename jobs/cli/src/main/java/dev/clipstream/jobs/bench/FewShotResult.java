package dev.clipstream.jobs.bench;

import dev.clipstream.schemas.TagResult;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * Counts the tags whose top label is the event's true one in {@code truth} (event id to label,
     * read under its lock), apart for the {@code taught} labels and the others.
     */
    static Accuracy of(List<TagResult> tags, Map<String, String> truth, Set<String> taught) {
      int taughtRight = 0;
      int taughtCount = 0;
      int otherRight = 0;
      int other = 0;
      for (TagResult tag : tags) {
        String expected;
        synchronized (truth) {
          expected = truth.get(tag.getEventId().toString());
        }
        boolean right = tag.getLabels().get(0).getLabel().toString().equals(expected);
        if (taught.contains(expected)) {
          taughtCount++;
          taughtRight += right ? 1 : 0;
        } else {
          other++;
          otherRight += right ? 1 : 0;
        }
      }
      return new Accuracy(taughtRight, taughtCount, otherRight, other);
    }

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
