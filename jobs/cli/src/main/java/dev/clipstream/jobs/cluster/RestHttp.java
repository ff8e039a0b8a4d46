package dev.clipstream.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP to one REST address, for {@link RestClient}: a request that does not answer 2xx
 * becomes an {@link IOException} naming the method, the path, the status and the body Flink sent.
 */
final class RestHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  RestHttp(String restAddress) {
    this.base =
        restAddress.endsWith("/")
            ? restAddress.substring(0, restAddress.length() - 1)
            : restAddress;
  }

  /** A new JSON object for a request body. */
  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  JsonNode get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  JsonNode post(String path, JsonNode body) throws IOException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** Sends {@code request} (two minutes at most) and reads the answer as JSON (blank: {}). */
  JsonNode send(HttpRequest.Builder request) throws IOException {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              request.timeout(Duration.ofSeconds(120)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          response.request().method()
              + " "
              + response.request().uri().getPath()
              + ": HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  URI uri(String path) {
    return URI.create(base + path);
  }
}
