package dev.clipstream.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLocatorTest {

  @TempDir Path temp;

  /**
   * The test split's spec with only the bundled copy and, optionally, a publisher to download from.
   */
  static DatasetSpec testSplitFrom(Optional<URI> publisher) {
    DatasetSpec real = FashionMnist.Split.TEST.spec();
    return new DatasetSpec(
        real.name(),
        real.files(),
        Optional.empty(),
        Optional.empty(),
        publisher,
        real.installHint());
  }

  static void copyBundledTestSplitTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (DatasetFile f : FashionMnist.Split.TEST.spec().files()) {
      try (InputStream in =
          DatasetLocatorTest.class.getResourceAsStream(FashionMnist.BUNDLED + "/" + f.name())) {
        Files.copy(in, dir.resolve(f.name()));
      }
    }
  }

  @Test
  void readsTheBundledTestSplitWithTenBalancedClasses() throws IOException {
    DatasetSpec real = FashionMnist.Split.TEST.spec();
    DatasetSpec bundledOnly =
        new DatasetSpec(
            real.name(),
            real.files(),
            Optional.empty(),
            real.bundledResourceDir(),
            Optional.empty(),
            "");
    Path dir = new DatasetLocator(Optional.empty(), temp).locate(bundledOnly);
    LabelledImages test =
        FashionMnist.read(
            dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));

    assertEquals(10_000, test.count());
    assertEquals(28, test.height());
    assertEquals(28, test.width());
    int[] perClass = new int[10];
    for (int label : test.labels()) {
      perClass[label]++;
    }
    for (int n : perClass) {
      assertEquals(1000, n);
    }
    assertEquals("Ankle boot", test.className(0), "the first test image is an ankle boot");
  }

  @Test
  void prefersTheDirectoryTheUserNames() throws IOException {
    Path mine = temp.resolve("mine");
    copyBundledTestSplitTo(mine);

    assertEquals(
        mine,
        new DatasetLocator(Optional.of(mine), temp.resolve("cache"))
            .locate(testSplitFrom(Optional.empty())));
  }

  @Test
  void passesOverATamperedCopyAndSaysWhy() throws IOException {
    Path mine = temp.resolve("mine");
    copyBundledTestSplitTo(mine);
    Path labels = mine.resolve("t10k-labels-idx1-ubyte.gz");
    byte[] bytes = Files.readAllBytes(labels);
    bytes[bytes.length / 2] ^= 1;
    Files.write(labels, bytes);

    DatasetNotFoundException e =
        assertThrows(
            DatasetNotFoundException.class,
            () ->
                new DatasetLocator(Optional.of(mine), temp.resolve("cache"))
                    .locate(testSplitFrom(Optional.empty())));
    assertTrue(
        e.getMessage().contains("t10k-labels-idx1-ubyte.gz does not match its published MD5"),
        e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
  }

  @Test
  void downloadsFromThePublisherAndChecksWhatArrives() throws IOException {
    Path published = temp.resolve("published");
    copyBundledTestSplitTo(published);
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = serve(published, requests);
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      DatasetLocator locator = new DatasetLocator(Optional.empty(), temp.resolve("cache"));

      Path dir = locator.locate(testSplitFrom(Optional.of(base)));
      assertEquals(temp.resolve("cache").resolve("fashion-mnist"), dir);
      assertEquals(2, requests.get());
      assertEquals(
          dir, locator.locate(testSplitFrom(Optional.of(base))), "the second time from the cache");
      assertEquals(2, requests.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void refusesADownloadThatDoesNotMatch() throws IOException {
    Path published = temp.resolve("published");
    copyBundledTestSplitTo(published);
    Files.write(published.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
    HttpServer server = serve(published, new AtomicInteger());
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      DatasetNotFoundException e =
          assertThrows(
              DatasetNotFoundException.class,
              () ->
                  new DatasetLocator(Optional.empty(), temp.resolve("cache"))
                      .locate(testSplitFrom(Optional.of(base))));
      assertTrue(e.getMessage().contains("downloaded but does not match"), e.getMessage());
      assertTrue(Files.notExists(temp.resolve("cache/fashion-mnist/t10k-images-idx3-ubyte.gz")));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void listsEveryPlaceTriedWhenNothingWorks() {
    DatasetSpec spec = testSplitFrom(Optional.of(URI.create("http://127.0.0.1:9/")));
    DatasetNotFoundException e =
        assertThrows(
            DatasetNotFoundException.class,
            () ->
                new DatasetLocator(Optional.of(temp.resolve("nowhere")), temp.resolve("cache"))
                    .locate(spec));

    assertTrue(e.getMessage().contains("nowhere: no such directory"), e.getMessage());
    assertTrue(e.getMessage().contains("download from http://127.0.0.1:9/"), e.getMessage());
  }

  @Test
  void refusesAnIdxFileWithTheWrongMagic() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                IdxFile.read(
                    new java.io.ByteArrayInputStream(new byte[] {0, 0, 9, 1, 0, 0, 0, 1, 7}), "x"));
    assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
  }

  @Test
  void refusesATruncatedIdxFile() {
    byte[] bytes = {0, 0, 8, 1, 0, 0, 0, 5, 1, 2};
    IOException e =
        assertThrows(
            IOException.class, () -> IdxFile.read(new java.io.ByteArrayInputStream(bytes), "x"));
    assertTrue(e.getMessage().contains("ends before its 5 elements"), e.getMessage());
  }

  private static HttpServer serve(Path dir, AtomicInteger requests) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
          if (Files.isRegularFile(file)) {
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } else {
            exchange.sendResponseHeaders(404, -1);
          }
          exchange.close();
        });
    server.start();
    return server;
  }
}
