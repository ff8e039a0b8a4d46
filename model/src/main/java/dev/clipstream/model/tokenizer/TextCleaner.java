package dev.clipstream.model.tokenizer;

import java.text.Normalizer;

/**
 * OpenAI's text clean-up before tokenising: Unicode NFC (what {@code ftfy.fix_text} amounts to on
 * well-formed text), HTML references decoded twice, whitespace runs collapsed to one space,
 * trimmed, lower-cased code point by code point as Python's {@code str.lower()} does.
 */
final class TextCleaner {
  private TextCleaner() {}

  static String clean(String text) {
    String fixed = Normalizer.normalize(text, Normalizer.Form.NFC);
    String unescaped = HtmlUnescaper.unescape(HtmlUnescaper.unescape(fixed));
    return lower(collapseWhitespace(unescaped));
  }

  /** Python's {@code re.sub(r'\s+', ' ', text).strip()} with {@code str.isspace()} semantics. */
  static String collapseWhitespace(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isPythonSpace(cp)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** Python's {@code str.isspace()}: bidi types WS, B, S and the separators Zs, Zl, Zp. */
  static boolean isPythonSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D)
        || (cp >= 0x1C && cp <= 0x1F)
        || cp == 0x85
        || Character.isSpaceChar(cp);
  }

  /**
   * Python's {@code str.lower()}: the simple lower-case mapping of each code point, except that
   * U+0130 becomes "i" plus a combining dot. Java's {@code String.toLowerCase} differs on the Greek
   * final sigma, which it maps by context.
   */
  static String lower(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0x130) {
        out.append("i\u0307");
      } else {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
    }
    return out.toString();
  }
}
