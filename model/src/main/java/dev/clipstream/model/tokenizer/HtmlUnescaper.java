package dev.clipstream.model.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML character-reference decoding as the HTML5 standard's tokenizer does it (and so as Python's
 * {@code html.unescape}, which OpenAI's tokenizer calls): named references, with the longest known
 * prefix for legacy names without ';', and numeric ones with the standard's replacements.
 */
final class HtmlUnescaper {

  private static final Pattern REFERENCE =
      Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");

  /** Longest named reference in the HTML5 table, ';' included. */
  private static final int MAX_NAME = 32;

  /** Numeric references the standard maps elsewhere: NUL, CR, and the Windows-1252 C1 range. */
  private static final Map<Integer, String> REPLACED_NUMERIC = replacedNumeric();

  private static final Map<String, String> NAMED = loadNamed();

  private HtmlUnescaper() {}

  static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = REFERENCE.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(decode(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String decode(String ref) {
    if (ref.charAt(0) == '#') {
      return numeric(ref);
    }
    String exact = NAMED.get(ref);
    if (exact != null) {
      return exact;
    }
    for (int length = Math.min(ref.length() - 1, MAX_NAME); length > 1; length--) {
      String prefix = NAMED.get(ref.substring(0, length));
      if (prefix != null) {
        return prefix + ref.substring(length);
      }
    }
    return "&" + ref;
  }

  private static String numeric(String ref) {
    boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
    String digits = ref.substring(hex ? 2 : 1).replace(";", "");
    long value;
    try {
      value =
          new java.math.BigInteger(digits, hex ? 16 : 10)
              .min(java.math.BigInteger.valueOf(0x110000))
              .longValue();
    } catch (NumberFormatException e) {
      return "&" + ref;
    }
    String replaced = REPLACED_NUMERIC.get((int) value);
    if (replaced != null) {
      return replaced;
    }
    if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
      return "\uFFFD";
    }
    if (isDropped((int) value)) {
      return "";
    }
    return new String(Character.toChars((int) value));
  }

  /** Control characters and noncharacters that a numeric reference may not produce. */
  private static boolean isDropped(int cp) {
    return (cp >= 0x1 && cp <= 0x8)
        || cp == 0xB
        || (cp >= 0xE && cp <= 0x1F)
        || (cp >= 0x7F && cp <= 0x9F)
        || (cp >= 0xFDD0 && cp <= 0xFDEF)
        || (cp & 0xFFFE) == 0xFFFE;
  }

  private static Map<Integer, String> replacedNumeric() {
    Map<Integer, String> map = new HashMap<>();
    map.put(0x00, "\uFFFD");
    map.put(0x0D, "\r");
    // Windows-1252 for 0x80-0x9F; the five code points it leaves undefined map to themselves.
    String cp1252 =
        "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F"
            + "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";
    for (int i = 0; i < 32; i++) {
      map.put(0x80 + i, String.valueOf(cp1252.charAt(i)));
    }
    return map;
  }

  private static Map<String, String> loadNamed() {
    Map<String, String> map = new HashMap<>(4096);
    try (InputStream in = HtmlUnescaper.class.getResourceAsStream("html5-entities.tsv");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] parts = line.split("\t");
        StringBuilder value = new StringBuilder();
        for (String hex : parts[1].split(" ")) {
          value.appendCodePoint(Integer.parseInt(hex, 16));
        }
        map.put(parts[0], value.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the HTML5 entity table", e);
    }
    return map;
  }

  /** For tests: names known. */
  static Set<String> names() {
    return NAMED.keySet();
  }
}
