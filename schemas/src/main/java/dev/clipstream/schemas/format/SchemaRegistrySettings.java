package dev.clipstream.schemas.format;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a Confluent-compatible schema registry is and how to reach it: its base URL (for Apicurio
 * Registry the compatibility API, {@code http://host:8080/apis/ccompat/v7}) and client properties
 * with the names Confluent's clients use: {@code basic.auth.user.info} ({@code user:password}),
 * {@code bearer.auth.token}, {@code ssl.truststore.location}, {@code ssl.truststore.password},
 * {@code ssl.truststore.type} and {@code request.timeout.ms}.
 */
public record SchemaRegistrySettings(String url, Map<String, String> properties)
    implements Serializable {

  public static final String BASIC_AUTH = "basic.auth.user.info";
  public static final String BEARER_TOKEN = "bearer.auth.token";
  public static final String TRUSTSTORE_LOCATION = "ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "ssl.truststore.type";
  public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";

  /** The properties the client understands; any other is refused rather than ignored. */
  public static final Set<String> KNOWN =
      Set.of(
          BASIC_AUTH,
          BEARER_TOKEN,
          TRUSTSTORE_LOCATION,
          TRUSTSTORE_PASSWORD,
          TRUSTSTORE_TYPE,
          REQUEST_TIMEOUT_MS);

  /** How long one request may take when {@code request.timeout.ms} is not given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public SchemaRegistrySettings {
    url = url == null ? "" : url.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    properties = Map.copyOf(properties);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "schema registry URL '" + url + "' is not a URL: " + e.getReason());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "schema registry URL '" + url + "' is not an http:// or https:// URL with a host");
    }
    Set<String> unknown = new TreeSet<>(properties.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "schema registry properties "
              + unknown
              + " are not known; known: "
              + new TreeSet<>(KNOWN));
    }
    String auth = properties.get(BASIC_AUTH);
    if (auth != null && !auth.contains(":")) {
      throw new IllegalArgumentException(BASIC_AUTH + " must be user:password");
    }
    if (auth != null && properties.containsKey(BEARER_TOKEN)) {
      throw new IllegalArgumentException(
          BASIC_AUTH + " and " + BEARER_TOKEN + " are both set: set one");
    }
    timeout(properties);
  }

  /** A registry at {@code url} with no client properties. */
  public static SchemaRegistrySettings of(String url) {
    return new SchemaRegistrySettings(url, Map.of());
  }

  /** The request timeout. */
  public Duration timeout() {
    return timeout(properties);
  }

  private static Duration timeout(Map<String, String> properties) {
    String ms = properties.get(REQUEST_TIMEOUT_MS);
    if (ms == null) {
      return DEFAULT_TIMEOUT;
    }
    try {
      long v = Long.parseLong(ms.strip());
      if (v > 0) {
        return Duration.ofMillis(v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        REQUEST_TIMEOUT_MS + " '" + ms + "' is not a positive number of milliseconds");
  }

  @Override
  public String toString() {
    // The properties may hold a password or a token: name them, never print them.
    return url + " " + new TreeSet<>(properties.keySet());
  }
}
