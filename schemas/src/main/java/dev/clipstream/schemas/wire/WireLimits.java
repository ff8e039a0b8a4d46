package dev.clipstream.schemas.wire;

import org.apache.avro.SystemLimitException;

/**
 * Caps the sizes Avro will allocate for a length read off the wire. Avro's own default is about 2
 * GiB, so ten bytes of garbage could make a reader allocate gigabytes before failing; these caps
 * make such a payload fail fast as a malformed body instead. A user can set the same system
 * properties to raise them.
 */
final class WireLimits {

  /** Largest bytes field (an image): well above any image the pipeline accepts. */
  static final String MAX_BYTES = Integer.toString(256 * 1024 * 1024);

  /** Largest string (a caption, an id). */
  static final String MAX_STRING = Integer.toString(64 * 1024 * 1024);

  /** Most items in one array or map (an embedding has a few thousand). */
  static final String MAX_ITEMS = Integer.toString(16 * 1024 * 1024);

  private WireLimits() {}

  static void apply() {
    setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES);
    setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING);
    setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_ITEMS);
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
