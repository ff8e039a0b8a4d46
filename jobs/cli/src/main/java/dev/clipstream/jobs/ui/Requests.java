package dev.clipstream.jobs.ui;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Query parameters and bodies of the page's requests, with bad values as one-line errors. */
final class Requests {
  private Requests() {}

  /** Most bytes an uploaded query image may have. */
  static final int MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(decode(key), decode(value));
    }
    return out;
  }

  /** The parameter {@code k}, or {@code fallback} when absent. */
  static int k(Map<String, String> query, int fallback) {
    String k = query.get("k");
    if (k == null || k.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(k.strip());
    } catch (NumberFormatException e) {
      throw new ApiError(400, "k must be a whole number, not '" + k + "'");
    }
  }

  /** The request body, refused past {@link #MAX_UPLOAD_BYTES}. */
  static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_UPLOAD_BYTES + 1);
      if (bytes.length > MAX_UPLOAD_BYTES) {
        throw new ApiError(
            413, "the uploaded image is larger than " + MAX_UPLOAD_BYTES / (1024 * 1024) + " MiB");
      }
      return bytes;
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "a query parameter is not URL-encoded: '" + s + "'");
    }
  }
}
