package dev.clipstream.schemas.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of the Confluent Schema Registry REST API (which Apicurio Registry also serves, under
 * {@code /apis/ccompat/v7}), with the JDK's HTTP client: register a subject's schema, look an
 * already registered one up, and fetch a schema by id (cached: an id never changes its schema).
 */
public final class SchemaRegistryClient {
  /** The registry API's media type (Confluent's documentation of the REST API). */
  static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistrySettings settings;
  private final HttpClient http;
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();

  public SchemaRegistryClient(SchemaRegistrySettings settings) {
    this.settings = settings;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    String truststore = settings.properties().get(SchemaRegistrySettings.TRUSTSTORE_LOCATION);
    if (truststore != null) {
      builder.sslContext(sslContext(truststore));
    }
    this.http = builder.build();
  }

  /** The subject of a topic's record values, as Confluent's default naming strategy makes it. */
  public static String valueSubject(String topic) {
    return topic + "-value";
  }

  /**
   * Registers {@code schema} under {@code subject} (a no-op that returns the same id when it is
   * registered already) and returns its id.
   */
  public int register(String subject, Schema schema) {
    JsonNode answer = post("/subjects/" + encode(subject) + "/versions", schema);
    return id(answer, "POST /subjects/" + subject + "/versions");
  }

  /** The id of {@code schema} under {@code subject}, which must be registered already. */
  public int lookup(String subject, Schema schema) {
    JsonNode answer = post("/subjects/" + encode(subject), schema);
    return id(answer, "POST /subjects/" + subject);
  }

  /** The schema with {@code id}; empty when the registry answers that it holds none. */
  public Optional<Schema> schema(int id) {
    Schema known = byId.get(id);
    if (known != null) {
      return Optional.of(known);
    }
    String path = "/schemas/ids/" + id;
    HttpResponse<String> response = send(request(path).GET().build(), "GET " + path);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    JsonNode answer = answer(response, "GET " + path);
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw error("GET " + path + " answered without a schema: " + response.body(), 0, null);
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(text.textValue());
    } catch (SchemaParseException e) {
      throw error("GET " + path + " answered a schema Avro cannot parse: " + e.getMessage(), 0, e);
    }
    byId.put(id, schema);
    return Optional.of(schema);
  }

  private JsonNode post(String path, Schema schema) {
    String body =
        JSON.createObjectNode()
            .put("schemaType", "AVRO")
            .put("schema", schema.toString())
            .toString();
    String what = "POST " + path;
    return answer(
        send(
            request(path)
                .header("Content-Type", MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(),
            what),
        what);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(settings.url() + path))
            .timeout(settings.timeout())
            .header("Accept", MEDIA_TYPE + ", application/json");
    String basic = settings.properties().get(SchemaRegistrySettings.BASIC_AUTH);
    if (basic != null) {
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    String token = settings.properties().get(SchemaRegistrySettings.BEARER_TOKEN);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw error(what + " failed: " + e, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw error(what + " was interrupted", 0, e);
    }
  }

  private JsonNode answer(HttpResponse<String> response, String what) {
    int status = response.statusCode();
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (status / 100 != 2) {
      // Confluent's errors are {"error_code": 40401, "message": "..."}; say both when present.
      String message =
          body != null && body.hasNonNull("message")
              ? body.get("message").asText() + " (error " + body.path("error_code").asText() + ")"
              : oneLine(response.body());
      throw error(what + " answered " + status + ": " + message, status, null);
    }
    if (body == null) {
      throw error(
          what + " answered " + status + " without JSON: " + oneLine(response.body()), 0, null);
    }
    return body;
  }

  private int id(JsonNode answer, String what) {
    JsonNode id = answer.get("id");
    if (id == null || !id.canConvertToInt()) {
      throw error(what + " answered without an id: " + answer, 0, null);
    }
    return id.intValue();
  }

  private SchemaRegistryException error(String message, int status, Throwable cause) {
    return new SchemaRegistryException(
        "schema registry " + settings.url() + ": " + message, status, cause);
  }

  private static String oneLine(String text) {
    String s = text == null ? "" : text.replaceAll("\\s+", " ").strip();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private SSLContext sslContext(String location) {
    String type =
        settings.properties().getOrDefault(SchemaRegistrySettings.TRUSTSTORE_TYPE, "PKCS12");
    String password = settings.properties().get(SchemaRegistrySettings.TRUSTSTORE_PASSWORD);
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          SchemaRegistrySettings.TRUSTSTORE_LOCATION
              + " "
              + location
              + " cannot be read: "
              + e.getMessage(),
          e);
    }
  }
}
