package dev.clipstream.jobs.control;

import dev.clipstream.schemas.ModelUpdate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The one place model weights are read from (config key {@code model.store}): a local directory or
 * any Flink file system URI (s3://, hdfs://). A model update may only name a file inside it, and
 * the file's SHA-256 must match the update's before a byte of it reaches the model loader.
 */
public final class ModelStore implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String root;

  /** A store at {@code root}; an empty root is no store (every update is refused). */
  public ModelStore(String root) {
    this.root = root == null ? "" : root.strip();
  }

  public boolean isConfigured() {
    return !root.isEmpty();
  }

  /** The store's root as a normalised URI. */
  public URI rootUri() {
    if (!isConfigured()) {
      throw new IllegalStateException("no model store configured (model.store)");
    }
    URI uri = URI.create(root.replace(" ", "%20"));
    if (uri.getScheme() == null || uri.getScheme().length() == 1) {
      uri = Paths.get(root).toAbsolutePath().normalize().toUri();
    }
    String path = uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";
    return uri.resolve(path).normalize();
  }

  /**
   * Where {@code location} (relative to the store, or absolute) lies.
   *
   * @throws IOException when it is outside the store
   */
  public URI resolve(String location) throws IOException {
    URI base = rootUri();
    URI given = URI.create(location.replace(" ", "%20"));
    URI candidate;
    if (given.getScheme() == null && !location.startsWith("/")) {
      candidate = base.resolve(given).normalize();
    } else if (given.getScheme() == null) {
      candidate = Paths.get(location).normalize().toUri();
    } else {
      candidate = given.normalize();
    }
    boolean inside =
        java.util.Objects.equals(candidate.getScheme(), base.getScheme())
            && java.util.Objects.equals(candidate.getAuthority(), base.getAuthority())
            && candidate.getPath() != null
            && candidate.getPath().startsWith(base.getPath())
            && candidate.getPath().length() > base.getPath().length();
    if (inside && "file".equals(base.getScheme()) && Files.exists(Paths.get(candidate))) {
      // symbolic links must not lead out of the store either
      java.nio.file.Path real = Paths.get(candidate).toRealPath();
      java.nio.file.Path realRoot = Paths.get(base).toRealPath();
      inside = real.startsWith(realRoot);
    }
    if (!inside) {
      throw new IOException(location + " is outside the model store " + base);
    }
    return candidate;
  }

  /**
   * Copies the weights {@code update} names into a local temporary file, checking the SHA-256 on
   * the way; the caller deletes the file.
   *
   * @throws IOException when the file is outside the store, missing, or its digest differs
   */
  public java.nio.file.Path fetchVerified(ModelUpdate update) throws IOException {
    return fetchVerified(
        update.getCheckpointUri().toString(), update.getWeightsSha256().toString());
  }

  /** Like {@link #fetchVerified(ModelUpdate)} for a location and digest. */
  public java.nio.file.Path fetchVerified(String where, String sha) throws IOException {
    URI location = resolve(where);
    java.nio.file.Path local = Files.createTempFile("clipstream-model-", ".safetensors");
    boolean ok = false;
    try {
      MessageDigest sha256 = sha256();
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem();
      try (InputStream in = fs.open(path);
          OutputStream out = new DigestOutputStream(Files.newOutputStream(local), sha256)) {
        in.transferTo(out);
      } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
        throw new IOException("model file " + location + " does not exist", e);
      }
      String actual = HexFormat.of().formatHex(sha256.digest());
      String expected = sha.toLowerCase(java.util.Locale.ROOT);
      if (!actual.equals(expected)) {
        throw new IOException(
            "model file " + location + " has SHA-256 " + actual + ", the update says " + expected);
      }
      ok = true;
      return local;
    } finally {
      if (!ok) {
        Files.deleteIfExists(local);
      }
    }
  }

  /**
   * Puts a local file into the store as {@code name} (a path relative to the root): written under a
   * temporary name, then renamed, so that readers never see half a file.
   *
   * @return {@code name}, as model updates refer to it
   */
  public String put(java.nio.file.Path local, String name) throws IOException {
    URI target = resolve(name);
    Path path = new Path(target);
    Path partial = new Path(target.toString() + ".partial");
    FileSystem fs = path.getFileSystem();
    fs.mkdirs(path.getParent());
    try (OutputStream out = fs.create(partial, FileSystem.WriteMode.OVERWRITE)) {
      Files.copy(local, out);
    }
    if (fs.exists(path)) {
      fs.delete(path, false);
    }
    if (!fs.rename(partial, path)) {
      throw new IOException("could not rename " + partial + " to " + path);
    }
    return name;
  }

  /** Deletes {@code name} from the store, if it is there. */
  public void delete(String name) throws IOException {
    Path path = new Path(resolve(name));
    path.getFileSystem().delete(path, false);
  }

  /**
   * The store names ({@code directory/file}) of the files directly under {@code directory}, a path
   * relative to the root; none when it does not exist.
   */
  public java.util.List<String> list(String directory) throws IOException {
    Path path = new Path(resolve(directory));
    FileSystem fs = path.getFileSystem();
    if (!fs.exists(path)) {
      return java.util.List.of();
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    for (org.apache.flink.core.fs.FileStatus status : fs.listStatus(path)) {
      if (!status.isDir()) {
        names.add(prefix + status.getPath().getName());
      }
    }
    java.util.Collections.sort(names);
    return names;
  }

  /** The lower-case hex SHA-256 of a local file. */
  public static String sha256Of(java.nio.file.Path file) throws IOException {
    MessageDigest sha256 = sha256();
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
      in.transferTo(out);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return isConfigured() ? rootUri().toString() : "(no model store)";
  }
}
