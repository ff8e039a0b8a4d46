package dev.clipstream.jobs.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clipstream.jobs.cli.UserError;
import dev.clipstream.jobs.index.IndexError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's HTTP server (the JDK's {@code com.sun.net.httpserver}): the page itself from the
 * classpath and the JSON endpoints of {@link PageApi}. Every failure is answered as {@code
 * {"error": "one line"}}, which the page shows.
 */
public final class UiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);

  private static final Map<String, String> STATIC =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/app.css", "app.css");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads;
  private final LiveFeed feed;
  private final PageSearch search;

  private UiServer(HttpServer server, ExecutorService threads, LiveFeed feed, PageSearch search) {
    this.server = server;
    this.threads = threads;
    this.feed = feed;
    this.search = search;
  }

  /**
   * Starts reading the topics and serving the page. The model is closed with the server, or at once
   * if the server cannot start.
   *
   * @throws UserError when the address cannot be listened on or the Kafka settings are refused
   */
  public static UiServer start(UiSettings settings, PageSearchModel model) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 0);
    } catch (IOException e) {
      // Taken (BindException) or not an address of this machine.
      model.model().close();
      throw new UserError(
          "cannot listen on "
              + settings.bindAddress()
              + ":"
              + settings.port()
              + " ("
              + e.getMessage()
              + "): pick another port (0 = any free one)");
    }
    PageSearch search = new PageSearch(model.model(), model.version(), settings.index());
    LiveFeed feed;
    try {
      feed = new LiveFeed(settings);
    } catch (RuntimeException e) {
      // A Kafka client setting the consumer refuses: free the port and the model again.
      server.stop(0);
      search.close();
      throw new UserError("cannot read the topics: " + e.getMessage(), e);
    }
    PageApi api = new PageApi(feed, search);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    server.setExecutor(threads);
    server.createContext("/", exchange -> handle(exchange, api));
    feed.start();
    server.start();
    return new UiServer(server, threads, feed, search);
  }

  /** The page's address. */
  public String url() {
    InetSocketAddress a = server.getAddress();
    return "http://" + a.getHostString() + ":" + a.getPort() + "/";
  }

  private static void handle(HttpExchange exchange, PageApi api) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String resource = STATIC.get(path);
      if (resource != null) {
        send(exchange, 200, contentType(resource), resource(resource));
        return;
      }
      try {
        PageApi.Reply reply = api.answer(path, exchange);
        if (reply.bytes() != null) {
          // A thumbnail never changes for its event id: let the browser keep it.
          exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
          send(exchange, 200, reply.contentType(), reply.bytes());
        } else {
          send(exchange, 200, "application/json", JSON.writeValueAsBytes(reply.json()));
        }
      } catch (ApiError e) {
        sendError(exchange, e.status(), e.getMessage());
      } catch (IndexError | UserError | IllegalArgumentException e) {
        sendError(exchange, 400, e.getMessage());
      } catch (IOException | RuntimeException e) {
        LOG.error("the page's request {} failed", path, e);
        sendError(exchange, 500, "internal error: " + oneLine(e.toString()));
      }
    }
  }

  private static void sendError(HttpExchange exchange, int status, String message)
      throws IOException {
    send(
        exchange,
        status,
        "application/json",
        JSON.writeValueAsBytes(Map.of("error", oneLine(message))));
  }

  private static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().putIfAbsent("Cache-Control", java.util.List.of("no-store"));
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String contentType(String resource) {
    if (resource.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    return resource.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
  }

  private static byte[] resource(String name) {
    try (InputStream in = UiServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the page's resource " + name + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    server.stop(0);
    threads.shutdownNow();
    try {
      feed.close();
    } finally {
      search.close();
    }
  }
}
