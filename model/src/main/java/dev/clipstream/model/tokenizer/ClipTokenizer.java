package dev.clipstream.model.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * OpenAI CLIP's tokenizer: clean the text, split it into pre-tokens with CLIP's pattern, byte-map
 * and BPE-encode each, and frame the ids with the start and end tokens in a fixed-length row as
 * {@code clip.tokenize(texts, truncate=True)} does. Immutable apart from its cache; thread-safe.
 */
public final class ClipTokenizer {

  /** Id of {@code <|startoftext|>}: the last-but-one vocabulary entry (49408 entries). */
  public static final int START_OF_TEXT = 49406;

  /**
   * Id of {@code <|endoftext|>}, the last vocabulary entry; its position is read by the text
   * encoder.
   */
  public static final int END_OF_TEXT = 49407;

  /** CLIP's context length: rows of 77 token ids. */
  public static final int DEFAULT_CONTEXT_LENGTH = 77;

  /** Merges used from the vocabulary file: 49152 − 256 − 2 (OpenAI's simple_tokenizer.py). */
  static final int MERGES = 49152 - 256 - 2;

  /** Distinct pre-tokens whose encodings are kept. */
  static final int CACHE_LIMIT = 100_000;

  private static final String VOCABULARY = "bpe_simple_vocab_16e6.txt.gz";
  private static final Pattern PRE_TOKEN =
      Pattern.compile(
          "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

  private final BytePairEncoder bpe;

  private ClipTokenizer(BytePairEncoder bpe) {
    this.bpe = bpe;
  }

  /** The tokenizer with OpenAI's vocabulary, shipped on the class path. */
  public static ClipTokenizer load() {
    try (InputStream in = ClipTokenizer.class.getResourceAsStream(VOCABULARY)) {
      if (in == null) {
        throw new IllegalStateException(VOCABULARY + " is missing from the class path");
      }
      return fromMerges(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + VOCABULARY, e);
    }
  }

  /**
   * A tokenizer from a gzip'ed merges file in OpenAI's format (a header line, then "a b" pairs).
   */
  public static ClipTokenizer fromMerges(InputStream gzip) throws IOException {
    List<String[]> merges = new ArrayList<>(MERGES);
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(new GZIPInputStream(gzip), StandardCharsets.UTF_8))) {
      reader.readLine(); // header
      for (String line; merges.size() < MERGES && (line = reader.readLine()) != null; ) {
        String[] pair = line.split(" ");
        if (pair.length != 2) {
          throw new IOException("merge line " + (merges.size() + 2) + " is not a pair: " + line);
        }
        merges.add(pair);
      }
    }
    return new ClipTokenizer(
        new BytePairEncoder(merges, List.of("<|startoftext|>", "<|endoftext|>"), CACHE_LIMIT));
  }

  /** Vocabulary size (49408 for OpenAI's). */
  public int vocabularySize() {
    return bpe.size();
  }

  /** BPE ids of a text, without start and end tokens. */
  public int[] encode(String text) {
    String cleaned = TextCleaner.clean(text);
    List<int[]> parts = new ArrayList<>();
    int total = 0;
    Matcher m = PRE_TOKEN.matcher(cleaned);
    while (m.find()) {
      String token = m.group();
      // OpenAI's cache maps the two special tokens to themselves, so they are never split.
      int[] ids = isSpecial(token) ? new int[] {bpe.idOf(token)} : bpe.encode(byteMapped(token));
      parts.add(ids);
      total += ids.length;
    }
    int[] out = new int[total];
    int at = 0;
    for (int[] ids : parts) {
      System.arraycopy(ids, 0, out, at, ids.length);
      at += ids.length;
    }
    return out;
  }

  /** Start token, the text's ids, end token: not truncated, not padded. */
  public int[] encodeWithSpecialTokens(String text) {
    int[] ids = encode(text);
    int[] out = new int[ids.length + 2];
    out[0] = START_OF_TEXT;
    System.arraycopy(ids, 0, out, 1, ids.length);
    out[out.length - 1] = END_OF_TEXT;
    return out;
  }

  /** A row of {@code contextLength} ids: truncated keeping the end token last, padded with 0. */
  public int[] tokenize(String text, int contextLength) {
    int[] framed = encodeWithSpecialTokens(text);
    int[] row = new int[contextLength];
    if (framed.length > contextLength) {
      System.arraycopy(framed, 0, row, 0, contextLength);
      row[contextLength - 1] = END_OF_TEXT;
    } else {
      System.arraycopy(framed, 0, row, 0, framed.length);
    }
    return row;
  }

  /** A 77-long row. */
  public int[] tokenize(String text) {
    return tokenize(text, DEFAULT_CONTEXT_LENGTH);
  }

  /** Rows for a batch of texts, as the text encoder takes them (int64). */
  public long[][] tokenizeBatch(List<String> texts, int contextLength) {
    long[][] out = new long[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          java.util.Arrays.stream(tokenize(texts.get(i), contextLength)).asLongStream().toArray();
    }
    return out;
  }

  /** Text from ids, as OpenAI's decode: symbols joined, {@code </w>} as a space, bytes to UTF-8. */
  public String decode(int[] ids) {
    StringBuilder symbols = new StringBuilder();
    for (int id : ids) {
      if (id != START_OF_TEXT && id != END_OF_TEXT && id != 0) {
        symbols.append(bpe.symbolOf(id));
      }
    }
    String joined = symbols.toString().replace(BytePairEncoder.END_OF_WORD, " ");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < joined.length(); i++) {
      char c = joined.charAt(i);
      int b = ByteUnicodeMap.byteOf(c);
      if (b >= 0) {
        bytes.write(b);
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8).strip();
  }

  /** Pre-tokens whose encodings are cached now (bounded by {@link #CACHE_LIMIT}). */
  int cacheSize() {
    return bpe.cacheSize();
  }

  private static boolean isSpecial(String token) {
    return token.equals("<|startoftext|>") || token.equals("<|endoftext|>");
  }

  private static String byteMapped(String token) {
    byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
    char[] chars = new char[utf8.length];
    for (int i = 0; i < utf8.length; i++) {
      chars[i] = ByteUnicodeMap.charOf(utf8[i]);
    }
    return new String(chars);
  }
}
