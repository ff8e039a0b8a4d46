package dev.clipstream.schemas.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * The writer schemas a reader knows, by their 64-bit Rabin fingerprint, so that records written
 * with an older version of a schema are still read by a newer reader (and the reverse).
 */
public final class SchemaCatalog implements SchemaStore {

  /** Earlier versions of clipstream's schemas, kept so their messages stay readable. */
  static final String HISTORY_INDEX = "/dev/clipstream/schemas/history/index.txt";

  private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

  /** An empty catalog. */
  public SchemaCatalog() {}

  /** A catalog of the given schemas. */
  public SchemaCatalog(Collection<Schema> schemas) {
    schemas.forEach(this::add);
  }

  /** The catalog of the current schemas plus every earlier version shipped with clipstream. */
  public static SchemaCatalog withHistory(List<Schema> current) {
    SchemaCatalog catalog = new SchemaCatalog(current);
    try (InputStream index = SchemaCatalog.class.getResourceAsStream(HISTORY_INDEX)) {
      if (index != null) {
        for (String line :
            new String(index.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank() && !line.startsWith("#")) {
            catalog.add(historical(line.trim()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return catalog;
  }

  private static Schema historical(String resource) throws IOException {
    try (InputStream in =
        SchemaCatalog.class.getResourceAsStream("/dev/clipstream/schemas/history/" + resource)) {
      if (in == null) {
        throw new IOException(
            "schema history lists " + resource + " but it is not on the class path");
      }
      return new Schema.Parser().parse(in);
    }
  }

  /** Adds a writer schema; returns its fingerprint. */
  public long add(Schema schema) {
    long fingerprint = fingerprint(schema);
    byFingerprint.put(fingerprint, schema);
    return fingerprint;
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /** The single-object encoding's fingerprint of a schema (CRC-64-AVRO of its canonical form). */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** A fingerprint as the 16 hex digits of its little-endian wire bytes. */
  public static String hex(long fingerprint) {
    return String.format("%016x", Long.reverseBytes(fingerprint));
  }
}
