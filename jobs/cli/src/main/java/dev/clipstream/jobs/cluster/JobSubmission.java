package dev.clipstream.jobs.cluster;

import java.util.List;

/**
 * How {@link RestClient#run} starts a job: entry class, parallelism, arguments, savepoint to
 * resume.
 */
public record JobSubmission(
    String entryClass, int parallelism, List<String> programArgs, String savepointPath) {
  public JobSubmission {
    programArgs = List.copyOf(programArgs);
  }

  /** The same job resumed from {@code savepoint} at {@code parallelism}. */
  public JobSubmission resumedFrom(String savepoint, int parallelism) {
    return new JobSubmission(entryClass, parallelism, programArgs, savepoint);
  }

  /** The same submission with other program arguments (an upgraded job). */
  public JobSubmission withArgs(List<String> args) {
    return new JobSubmission(entryClass, parallelism, args, savepointPath);
  }
}
