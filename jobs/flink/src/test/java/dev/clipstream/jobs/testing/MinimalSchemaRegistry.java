package dev.clipstream.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * A <b>stand-in</b> for a schema registry, written for the tests: the four calls of Confluent's
 * Schema Registry REST API that clipstream makes, on the JDK's HTTP server at 127.0.0.1 and a free
 * port, schemas in memory. It is not Confluent's nor Apicurio's registry (neither can be had from
 * Maven Central here: docs/output-formats.md says what was checked); it has no compatibility rules,
 * and its ids count from 1 across subjects, as Confluent's do. It answers errors in Confluent's
 * shape, {@code {"error_code": 40403, "message": "..."}}.
 */
public final class MinimalSchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<Schema> byId = new ArrayList<>();
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();

  private MinimalSchemaRegistry(HttpServer server) {
    this.server = server;
  }

  public static MinimalSchemaRegistry start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    MinimalSchemaRegistry registry = new MinimalSchemaRegistry(server);
    server.createContext("/", registry::handle);
    server.start();
    return registry;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The subjects registered so far, each with its ids, in order. */
  public synchronized Map<String, List<Integer>> subjects() {
    return new LinkedHashMap<>(subjects);
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      String[] parts = path.substring(1).split("/");
      if (method.equals("GET")
          && parts.length == 3
          && parts[0].equals("schemas")
          && parts[1].equals("ids")) {
        int id = Integer.parseInt(parts[2]);
        if (id < 1 || id > byId.size()) {
          answer(exchange, 404, error(40403, "Schema " + id + " not found"));
        } else {
          answer(exchange, 200, JSON.createObjectNode().put("schema", byId.get(id - 1).toString()));
        }
        return;
      }
      if (method.equals("POST") && parts.length >= 2 && parts[0].equals("subjects")) {
        String subject = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        Schema schema =
            new Schema.Parser()
                .parse(JSON.readTree(exchange.getRequestBody()).get("schema").asText());
        int id = idOf(schema);
        if (parts.length == 3 && parts[2].equals("versions")) {
          if (id == 0) {
            byId.add(schema);
            id = byId.size();
          }
          List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
          if (!versions.contains(id)) {
            versions.add(id);
          }
          answer(exchange, 200, JSON.createObjectNode().put("id", id));
          return;
        }
        if (parts.length == 2) {
          List<Integer> versions = subjects.getOrDefault(subject, List.of());
          if (id == 0 || !versions.contains(id)) {
            answer(exchange, 404, error(40403, "Schema not found under subject " + subject));
          } else {
            answer(
                exchange,
                200,
                JSON.createObjectNode()
                    .put("subject", subject)
                    .put("id", id)
                    .put("version", versions.indexOf(id) + 1)
                    .put("schema", schema.toString()));
          }
          return;
        }
      }
      answer(exchange, 404, error(404, "no such endpoint " + method + " " + path));
    } catch (RuntimeException e) {
      answer(exchange, 422, error(42201, String.valueOf(e.getMessage())));
    }
  }

  /** The id of a schema equal in Avro's parsing canonical form, or 0. */
  private int idOf(Schema schema) {
    String canonical = SchemaNormalization.toParsingForm(schema);
    for (int i = 0; i < byId.size(); i++) {
      if (SchemaNormalization.toParsingForm(byId.get(i)).equals(canonical)) {
        return i + 1;
      }
    }
    return 0;
  }

  private static JsonNode error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message);
  }

  private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
