package dev.clipstream.jobs.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's chromium, headless, driven over the Chrome DevTools protocol (a WebSocket of JSON
 * messages) with the JDK's own WebSocket client: no Selenium, no driver download. One page (target)
 * is attached with a flat session; commands wait for their answer.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private String session;

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** The chromium on the PATH (Debian's package installs /usr/bin/chromium), if there is one. */
  static Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Starts chromium with a fresh profile in {@code profile} and connects to it. */
  static HeadlessChromium start(Path executable, Path profile) throws Exception {
    Files.createDirectories(profile);
    Process process =
        new ProcessBuilder(
                executable.toString(),
                "--headless=new",
                // Tests run as root in CI containers, where chromium's sandbox cannot start.
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--window-size=1280,1700",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    // Chromium writes the port it took, and the browser's WebSocket path, into the profile.
    Path active = profile.resolve("DevToolsActivePort");
    while (!Files.exists(active) || Files.readAllLines(active).size() < 2) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "chromium exited with "
                + process.exitValue()
                + ": "
                + Files.readString(profile.resolve("chromium.log")));
      }
      Thread.sleep(100);
    }
    List<String> lines = Files.readAllLines(active);
    URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
    HeadlessChromium[] self = new HeadlessChromium[1];
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(uri, new Listener(m -> self[0].receive(m)))
            .get();
    self[0] = new HeadlessChromium(process, socket);
    return self[0];
  }

  /** Opens {@code url} in a new page and attaches to it. */
  void open(String url) throws Exception {
    String target =
        browserCommand("Target.createTarget", Map.of("url", url)).path("targetId").asText();
    session =
        browserCommand("Target.attachToTarget", Map.of("targetId", target, "flatten", true))
            .path("sessionId")
            .asText();
    command("Page.enable", Map.of());
    command("Runtime.enable", Map.of());
  }

  /** The value of a JavaScript expression in the page (awaited if it is a promise). */
  JsonNode eval(String expression) throws Exception {
    JsonNode reply =
        command(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (reply.has("exceptionDetails")) {
      throw new IllegalStateException(
          "the page threw on " + expression + ": " + reply.get("exceptionDetails"));
    }
    return reply.path("result").path("value");
  }

  /** Clicks the centre of the first element {@code selector} finds, as a mouse does. */
  void click(String selector) throws Exception {
    JsonNode box =
        eval(
            "(() => { const e = document.querySelector("
                + JSON.writeValueAsString(selector)
                + "); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
    for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
      command(
          "Input.dispatchMouseEvent",
          Map.of(
              "type",
              type,
              "x",
              box.get("x").asDouble(),
              "y",
              box.get("y").asDouble(),
              "button",
              "left",
              "clickCount",
              1));
    }
  }

  /** Empties the field {@code selector}, focuses it and types {@code text} into it. */
  void type(String selector, String text) throws Exception {
    eval(
        "(() => { const e = document.querySelector("
            + JSON.writeValueAsString(selector)
            + "); e.value = ''; e.focus(); })()");
    if (!text.isEmpty()) {
      command("Input.insertText", Map.of("text", text));
    }
  }

  /** Puts {@code file} into the file input {@code selector}, as choosing it in the dialog does. */
  void chooseFile(String selector, Path file) throws Exception {
    int root = command("DOM.getDocument", Map.of()).path("root").path("nodeId").asInt();
    int node =
        command("DOM.querySelector", Map.of("nodeId", root, "selector", selector))
            .path("nodeId")
            .asInt();
    command(
        "DOM.setFileInputFiles",
        Map.of("nodeId", node, "files", List.of(file.toAbsolutePath().toString())));
  }

  /** Presses Enter in the focused element. */
  void pressEnter() throws Exception {
    for (String type : List.of("keyDown", "keyUp")) {
      command(
          "Input.dispatchKeyEvent",
          Map.of(
              "type",
              type,
              "key",
              "Enter",
              "code",
              "Enter",
              "windowsVirtualKeyCode",
              13,
              "text",
              "\r"));
    }
  }

  /** A PNG of the whole page. */
  void screenshot(Path file) throws Exception {
    JsonNode shot =
        command("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  private JsonNode command(String method, Map<String, Object> params) throws Exception {
    return send(method, params, session);
  }

  private JsonNode browserCommand(String method, Map<String, Object> params) throws Exception {
    return send(method, params, null);
  }

  private JsonNode send(String method, Map<String, Object> params, String sessionId)
      throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    synchronized (socket) {
      socket.sendText(JSON.writeValueAsString(message), true).get();
    }
    JsonNode answer;
    try {
      answer = reply.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(method + " failed", e.getCause());
    }
    if (answer.has("error")) {
      throw new IllegalStateException(method + ": " + answer.get("error"));
    }
    return answer.path("result");
  }

  private void receive(String message) {
    try {
      JsonNode node = JSON.readTree(message);
      if (node.has("id")) {
        CompletableFuture<JsonNode> reply = pending.remove(node.get("id").asInt());
        if (reply != null) {
          reply.complete(node);
        }
      }
    } catch (IOException e) {
      pending.values().forEach(f -> f.completeExceptionally(e));
    }
  }

  @Override
  public void close() throws Exception {
    // Not awaited: the browser may close before it answers.
    ObjectNode message = JSON.createObjectNode();
    message.put("id", ids.incrementAndGet());
    message.put("method", "Browser.close");
    synchronized (socket) {
      socket.sendText(JSON.writeValueAsString(message), true);
    }
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    socket.abort();
  }

  /** Joins the WebSocket's message fragments and hands each whole message on. */
  private static final class Listener implements WebSocket.Listener {
    private final java.util.function.Consumer<String> onMessage;
    private final StringBuilder partial = new StringBuilder();

    Listener(java.util.function.Consumer<String> onMessage) {
      this.onMessage = onMessage;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String whole = partial.toString();
        partial.setLength(0);
        onMessage.accept(whole);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, java.nio.ByteBuffer data, boolean last) {
      onText(socket, StandardCharsets.UTF_8.decode(data), last);
      return null;
    }
  }
}
