package dev.clipstream.jobs.control;

import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The weights a job starts from ({@code model.weights}): empty for the default model embedded in
 * the jar, else a local path or any Flink file system URI ({@code file://}, {@code s3://}, {@code
 * hdfs://}). It is read on the TaskManager that loads the model, in the operator's {@code open()},
 * never where the job graph is built: the client submitting a job need not see the file.
 */
public final class StartWeights {
  private StartWeights() {}

  /** The configuration key, for messages. */
  static final String KEY = "model.weights";

  /** A local copy of the weights; closing it deletes the copy (a local file is used in place). */
  public record Local(java.nio.file.Path path, boolean copied) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (copied) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * The weights at {@code location} as a local file: a file on the local file system in place, any
   * other file system's copied to a temporary file.
   *
   * @throws IOException with one line naming the location when the file is missing or unreadable
   */
  public static Local fetch(String location) throws IOException {
    Path path = path(location);
    FileSystem fs;
    try {
      fs = path.getFileSystem();
    } catch (IOException e) {
      throw new IOException(KEY + " " + location + ": " + e.getMessage(), e);
    }
    if (!fs.exists(path) || fs.getFileStatus(path).isDir()) {
      throw new IOException(KEY + " " + location + ": no such file");
    }
    if (!fs.isDistributedFS() && "file".equals(fs.getUri().getScheme())) {
      return new Local(java.nio.file.Path.of(path.toUri()), false);
    }
    java.nio.file.Path local = Files.createTempFile("clipstream-weights-", ".safetensors");
    try (InputStream in = fs.open(path)) {
      Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(local);
      throw new IOException(KEY + " " + location + ": " + e.getMessage(), e);
    }
    return new Local(local, true);
  }

  /** The name a job reports as the version of these weights: the file name, or the default's. */
  public static String version(String location) {
    if (location.isEmpty()) {
      return DefaultModel.version();
    }
    return path(location).getName();
  }

  /**
   * The image resolution of the weights, read off their tensor shapes (the default model's from its
   * manifest); reads the file, so call it where the model is loaded.
   *
   * @throws IOException with one line when the file is missing or not CLIP weights
   */
  public static int imageSize(String location) throws IOException {
    if (location.isEmpty()) {
      return DefaultModel.manifest().path("config").path("image_resolution").asInt();
    }
    try (Local local = fetch(location)) {
      SafeTensorsFile file = SafeTensorsFile.read(local.path());
      Map<String, long[]> shapes = new LinkedHashMap<>();
      file.tensors()
          .forEach(
              (name, info) -> shapes.put(name, Arrays.copyOf(info.shape(), info.shape().length)));
      return ClipConfig.inferFrom(shapes).imageResolution();
    } catch (RuntimeException e) {
      throw new IOException(KEY + " " + location + ": " + e.getMessage(), e);
    }
  }

  /** A Flink path for a URI or a plain (absolute or relative) local path. */
  private static Path path(String location) {
    URI uri = URI.create(location.replace(" ", "%20"));
    if (uri.getScheme() == null || uri.getScheme().length() == 1) {
      return new Path(java.nio.file.Path.of(location).toAbsolutePath().toUri());
    }
    return new Path(uri);
  }
}
