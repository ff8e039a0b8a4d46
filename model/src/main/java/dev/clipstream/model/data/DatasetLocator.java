package dev.clipstream.model.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Finds a dataset's files, checking each against its MD5s, in this order: a directory the user
 * names, the system directory (a Debian package), then the publisher's download into a cache
 * directory. When none works, the error lists every place tried and why.
 */
public final class DatasetLocator {

  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(30);

  private final Optional<Path> userDir;
  private final Path cacheDir;

  /**
   * @param userDir a directory the user named (tried first), if any
   * @param cacheDir where downloads go when no user directory is named
   */
  public DatasetLocator(Optional<Path> userDir, Path cacheDir) {
    this.userDir = userDir;
    this.cacheDir = cacheDir;
  }

  /** The default cache: {@code $CLIPSTREAM_DATA_DIR} or {@code ~/.clipstream/datasets}. */
  public static Path defaultCacheDir() {
    String env = System.getenv("CLIPSTREAM_DATA_DIR");
    return env != null
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".clipstream", "datasets");
  }

  /** The directory holding genuine copies of all of {@code spec}'s files. */
  public Path locate(DatasetSpec spec) throws DatasetNotFoundException {
    List<String> tried = new ArrayList<>();
    List<Path> candidates = new ArrayList<>();
    userDir.ifPresent(candidates::add);
    spec.systemDir().ifPresent(candidates::add);
    Path downloadDir = userDir.orElse(cacheDir.resolve(spec.name()));
    if (!candidates.contains(downloadDir)) {
      candidates.add(downloadDir); // an earlier download
    }
    for (Path dir : candidates) {
      Optional<String> problem = check(spec, dir);
      if (problem.isEmpty()) {
        return dir;
      }
      tried.add(dir + ": " + problem.get());
    }
    if (spec.bundledResourceDir().isPresent()) {
      try {
        unpackBundled(spec, spec.bundledResourceDir().get(), downloadDir);
        return downloadDir;
      } catch (IOException e) {
        tried.add("bundled copy: " + e.getMessage());
      }
    }
    if (spec.downloadBase().isPresent()) {
      try {
        download(spec, spec.downloadBase().get(), downloadDir);
        return downloadDir;
      } catch (IOException e) {
        tried.add("download from " + spec.downloadBase().get() + ": " + e.getMessage());
      }
    }
    throw new DatasetNotFoundException(
        spec.name() + " not found. Tried " + String.join("; ", tried) + ". " + spec.installHint());
  }

  /** Empty if every file is in {@code dir} and genuine, else what is wrong. */
  static Optional<String> check(DatasetSpec spec, Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.of("no such directory");
    }
    for (DatasetFile file : spec.files()) {
      Path path = dir.resolve(file.name());
      if (!Files.isRegularFile(path)) {
        return Optional.of("missing " + file.name());
      }
      try {
        if (!isGenuine(path, file)) {
          return Optional.of(file.name() + " does not match its published MD5");
        }
      } catch (IOException e) {
        return Optional.of("cannot read " + file.name() + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Whether the file's MD5, or the MD5 of its gzip content, is one the publisher gave. */
  static boolean isGenuine(Path path, DatasetFile file) throws IOException {
    if (file.md5s().contains(md5(Files.newInputStream(path)))) {
      return true;
    }
    if (!file.name().endsWith(".gz")) {
      return false;
    }
    try {
      return file.md5s().contains(md5(new GZIPInputStream(Files.newInputStream(path))));
    } catch (java.util.zip.ZipException e) {
      return false;
    }
  }

  private static String md5(InputStream stream) throws IOException {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
    try (InputStream in = new DigestInputStream(stream, md5)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    StringBuilder hex = new StringBuilder();
    for (byte b : md5.digest()) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  private static void unpackBundled(DatasetSpec spec, String resourceDir, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    for (DatasetFile file : spec.files()) {
      Path target = dir.resolve(file.name());
      try (InputStream in =
          DatasetLocator.class.getResourceAsStream(resourceDir + "/" + file.name())) {
        if (in == null) {
          throw new IOException("not on the class path");
        }
        Path temp = Files.createTempFile(dir, "." + file.name(), ".part");
        try {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
          if (!isGenuine(temp, file)) {
            throw new IOException(file.name() + " does not match its published MD5");
          }
          Files.move(
              temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(temp);
        }
      }
    }
  }

  private static void download(DatasetSpec spec, URI base, Path dir) throws IOException {
    Files.createDirectories(dir);
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(DOWNLOAD_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    for (DatasetFile file : spec.files()) {
      Path target = dir.resolve(file.name());
      if (Files.isRegularFile(target) && isGenuine(target, file)) {
        continue;
      }
      Path temp = Files.createTempFile(dir, "." + file.name(), ".part");
      try {
        HttpRequest request =
            HttpRequest.newBuilder(base.resolve(file.name())).timeout(DOWNLOAD_TIMEOUT).build();
        HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(temp));
        if (response.statusCode() != 200) {
          throw new IOException(file.name() + ": HTTP " + response.statusCode());
        }
        if (!isGenuine(temp, file)) {
          throw new IOException(file.name() + " downloaded but does not match its published MD5");
        }
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
        throw new IOException("cannot connect (" + e.getClass().getSimpleName() + ")", e);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }
}
