package dev.clipstream.jobs.cluster;

import java.util.Collection;
import java.util.Set;

/** Clean-up and diagnosis of the jobs a cluster test submitted. */
final class ClusterJobs {
  private ClusterJobs() {}

  private static final Set<String> DONE = Set.of("CANCELED", "FINISHED", "FAILED");

  /** Cancels those of {@code jobs} that still run, so a failed test leaves its slots free. */
  static void cancelRunning(RestClient rest, Collection<String> jobs) {
    for (String job : jobs) {
      try {
        if (!DONE.contains(rest.state(job))) {
          rest.cancel(job);
          rest.awaitState(job, ClusterTagging.PATIENCE, "CANCELED", "FAILED");
        }
      } catch (Exception e) {
        System.out.println("cluster: could not cancel " + job + ": " + e.getMessage());
      }
    }
  }

  /** The root exception of a job's last failure, as the web UI shows it ("" when none). */
  static String rootCause(RestClient rest, String job) {
    try {
      String text = rest.exceptions(job);
      return text.length() > 2000 ? text.substring(0, 2000) : text;
    } catch (Exception e) {
      return "(no exceptions: " + e.getMessage() + ")";
    }
  }
}
