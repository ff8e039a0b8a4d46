package dev.clipstream.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The JobManager's REST API as a user drives it: upload the job jar, run an entry class with
 * program arguments (from a savepoint), follow the job, stop it with a savepoint, cancel it.
 */
public final class RestClient {
  /** How often the {@code await} methods ask. */
  private static final Duration POLL = Duration.ofMillis(250);

  private final RestHttp rest;

  public RestClient(String restAddress) {
    this.rest = new RestHttp(restAddress);
  }

  /** {@code GET /overview}: TaskManagers, slots, jobs, Flink's version. */
  public JsonNode overview() throws IOException {
    return rest.get("/overview");
  }

  /** The resource ids of the registered TaskManagers. */
  public List<String> taskManagers() throws IOException {
    List<String> ids = new ArrayList<>();
    rest.get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
    return ids;
  }

  /** {@code POST /jars/upload} (multipart field {@code jarfile}); returns the jar's id. */
  public String uploadJar(Path jar) throws IOException {
    String boundary = "clipstream-" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    // The job jar is ~170 MB (libtorch): streamed from the file, not held in memory.
    JsonNode answer =
        rest.send(
            HttpRequest.newBuilder(rest.uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(
                    HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jar),
                        HttpRequest.BodyPublishers.ofByteArray(tail))));
    String filename = answer.path("filename").asText();
    return filename.substring(filename.lastIndexOf('/') + 1);
  }

  /**
   * {@code POST /jars/<id>/run}; returns the job id. The arguments go as {@code programArgsList}
   * (Flink 2 ignores the old string field {@code programArgs} without a word).
   */
  public String run(String jarId, JobSubmission submission) throws IOException {
    ObjectNode request = RestHttp.object();
    request.put("entryClass", submission.entryClass());
    request.put("parallelism", submission.parallelism());
    var args = request.putArray("programArgsList");
    submission.programArgs().forEach(args::add);
    if (submission.savepointPath() != null) {
      request.put("savepointPath", submission.savepointPath());
      request.put("allowNonRestoredState", false);
    }
    return rest.post("/jars/" + jarId + "/run", request).path("jobid").asText();
  }

  /** {@code GET /jobs/<id>}: the job's state and its vertices. */
  public JsonNode job(String jobId) throws IOException {
    return rest.get("/jobs/" + jobId);
  }

  public String state(String jobId) throws IOException {
    return job(jobId).path("state").asText();
  }

  /** True when the job and every one of its tasks run. */
  public boolean allTasksRunning(String jobId) throws IOException {
    JsonNode job = job(jobId);
    if (!job.path("state").asText().equals("RUNNING")) {
      return false;
    }
    for (JsonNode vertex : job.path("vertices")) {
      int running = vertex.path("tasks").path("RUNNING").asInt();
      if (running != vertex.path("parallelism").asInt()) {
        return false;
      }
    }
    return true;
  }

  /** The TaskManager (resource id) of every subtask of every vertex, by vertex name. */
  public Map<String, List<String>> subtaskLocations(String jobId) throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (JsonNode vertex : job(jobId).path("vertices")) {
      List<String> tms = new ArrayList<>();
      rest.get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText())
          .path("subtasks")
          .forEach(s -> tms.add(s.path("taskmanager-id").asText()));
      out.put(vertex.path("name").asText(), tms);
    }
    return out;
  }

  /**
   * The TaskManagers of the subtasks of the vertex whose (chained) name holds {@code operator},
   * e.g. {@code batch-encode-label -> to-tag-result -> ...}.
   */
  public List<String> subtaskLocations(String jobId, String operator) throws IOException {
    return subtaskLocations(jobId).entrySet().stream()
        .filter(e -> e.getKey().contains(operator))
        .findFirst()
        .orElseThrow(() -> new IOException("no vertex " + operator + " in job " + jobId))
        .getValue();
  }

  /**
   * Flink's {@code numRestarts} of a running job. The JobManager answers metric requests from a
   * cache that the request itself refreshes ({@code metrics.fetcher.update-interval}): the first
   * answer after a quiet spell is old (it said 0 after a TaskManager kill had restarted the job),
   * so this asks, waits past the interval, and asks again; while the cache has no metrics for the
   * job yet (seen for a job submitted soon after a TaskManager was killed) it keeps asking, up to
   * {@link #METRICS_TIMEOUT}.
   */
  public long restarts(String jobId) throws IOException {
    String path = "/jobs/" + jobId + "/metrics?get=numRestarts";
    rest.get(path);
    try {
      Thread.sleep(METRICS_REFRESH.toMillis());
      return Polling.until(
          METRICS_TIMEOUT,
          METRICS_REFRESH,
          () -> {
            for (JsonNode metric : rest.get(path)) {
              return Long.parseLong(metric.path("value").asText());
            }
            return null;
          },
          () ->
              "no numRestarts metric for job "
                  + jobId
                  + " in "
                  + METRICS_TIMEOUT.toSeconds()
                  + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * The failures the job recovered from (or died of), from its exception history ({@code GET
   * /jobs/<id>/exceptions}; Flink keeps the last {@code web.exception-history-size}, 16). Each one
   * cost a restart. After a TaskManager kill the JobManager logged "switched from RUNNING to
   * RESTARTING" while {@code numRestarts} over REST still said 0, so the tests count these too.
   */
  public int failures(String jobId) throws IOException {
    return rest.get("/jobs/" + jobId + "/exceptions?maxExceptions=100")
        .path("exceptionHistory")
        .path("entries")
        .size();
  }

  /** Longer than the cluster's {@code metrics.fetcher.update-interval} (1 s, FlinkProcesses). */
  static final Duration METRICS_REFRESH = Duration.ofMillis(2500);

  /** How long {@link #restarts} waits for the job's metrics to appear at all. */
  static final Duration METRICS_TIMEOUT = Duration.ofSeconds(90);

  /** The root exception of the job's last failure ({@code GET /jobs/<id>/exceptions}). */
  public String exceptions(String jobId) throws IOException {
    JsonNode history =
        rest.get("/jobs/" + jobId + "/exceptions?maxExceptions=1").path("exceptionHistory");
    JsonNode entries = history.path("entries");
    return entries.isEmpty() ? "" : entries.get(0).path("stacktrace").asText();
  }

  /** {@code GET /jobs/<id>/checkpoints}: counts and the latest completed checkpoint. */
  public JsonNode checkpoints(String jobId) throws IOException {
    return rest.get("/jobs/" + jobId + "/checkpoints");
  }

  /** Completed checkpoints of the job so far (savepoints included). */
  public long completedCheckpoints(String jobId) throws IOException {
    return checkpoints(jobId).path("counts").path("completed").asLong();
  }

  /** Polls until the job has completed {@code atLeast} checkpoints (savepoints included). */
  public void awaitCompletedCheckpoints(String jobId, long atLeast, Duration timeout)
      throws IOException, InterruptedException {
    Polling.until(
        timeout,
        POLL,
        () -> completedCheckpoints(jobId) >= atLeast ? Boolean.TRUE : null,
        () ->
            "job %s completed %d of %d checkpoints"
                .formatted(jobId, completedCheckpoints(jobId), atLeast));
  }

  /** Stops the job with a savepoint in {@code directory}; returns the savepoint's path. */
  public String stopWithSavepoint(String jobId, Path directory, Duration timeout)
      throws IOException, InterruptedException {
    ObjectNode request = RestHttp.object();
    request.put("targetDirectory", directory.toUri().toString());
    request.put("drain", false);
    String trigger = rest.post("/jobs/" + jobId + "/stop", request).path("request-id").asText();
    return awaitSavepoint(jobId, trigger, timeout);
  }

  /** Takes a savepoint while the job keeps running; returns its path. */
  public String savepoint(String jobId, Path directory, Duration timeout)
      throws IOException, InterruptedException {
    ObjectNode request = RestHttp.object();
    request.put("target-directory", directory.toUri().toString());
    request.put("cancel-job", false);
    String trigger =
        rest.post("/jobs/" + jobId + "/savepoints", request).path("request-id").asText();
    return awaitSavepoint(jobId, trigger, timeout);
  }

  private String awaitSavepoint(String jobId, String trigger, Duration timeout)
      throws IOException, InterruptedException {
    JsonNode operation =
        Polling.until(
            timeout,
            Duration.ofMillis(200),
            () -> {
              JsonNode status = rest.get("/jobs/" + jobId + "/savepoints/" + trigger);
              boolean done = status.path("status").path("id").asText().equals("COMPLETED");
              return done ? status.path("operation") : null;
            },
            () -> "no savepoint of " + jobId + " within " + timeout);
    if (operation.has("failure-cause")) {
      throw new IOException(
          "savepoint of " + jobId + " failed: " + operation.path("failure-cause"));
    }
    return operation.path("location").asText();
  }

  /** {@code PATCH /jobs/<id>?mode=cancel}. */
  public void cancel(String jobId) throws IOException {
    rest.send(
        HttpRequest.newBuilder(rest.uri("/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  /** Polls the job's state until it is one of {@code states}; returns it. */
  public String awaitState(String jobId, Duration timeout, String... states)
      throws IOException, InterruptedException {
    return Polling.until(
        timeout,
        POLL,
        () -> {
          String state = state(jobId);
          return List.of(states).contains(state) ? state : null;
        },
        () ->
            "job %s is %s, not %s, after %s"
                .formatted(jobId, state(jobId), List.of(states), timeout));
  }

  /** Polls until the job and all its tasks run. */
  public void awaitRunning(String jobId, Duration timeout)
      throws IOException, InterruptedException {
    Polling.until(
        timeout,
        POLL,
        () -> allTasksRunning(jobId) ? Boolean.TRUE : null,
        () -> "job " + jobId + " not running after " + timeout + ": " + state(jobId));
  }
}
