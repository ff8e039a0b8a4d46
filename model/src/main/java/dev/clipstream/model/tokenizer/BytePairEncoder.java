package dev.clipstream.model.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding of one pre-token (already mapped through {@link ByteUnicodeMap}) into
 * vocabulary ids: repeatedly merge the adjacent pair of lowest merge rank, the last symbol marked
 * with {@code </w>}. Results are cached per pre-token, in a bounded cache that is safe to share
 * between threads.
 */
final class BytePairEncoder {

  /** Marks the last symbol of a word. */
  static final String END_OF_WORD = "</w>";

  private final Map<String, Integer> ranks;
  private final Map<String, Integer> vocabulary;
  private final String[] symbols;
  private final int cacheLimit;
  private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

  /**
   * @param merges the merge pairs in rank order
   * @param specialTokens symbols appended to the vocabulary after the merges
   */
  BytePairEncoder(List<String[]> merges, List<String> specialTokens, int cacheLimit) {
    this.cacheLimit = cacheLimit;
    List<String> vocab = new ArrayList<>();
    String bytes = ByteUnicodeMap.symbols();
    for (int i = 0; i < bytes.length(); i++) {
      vocab.add(String.valueOf(bytes.charAt(i)));
    }
    for (int i = 0; i < bytes.length(); i++) {
      vocab.add(bytes.charAt(i) + END_OF_WORD);
    }
    ranks = new HashMap<>(merges.size() * 2);
    for (int rank = 0; rank < merges.size(); rank++) {
      String[] pair = merges.get(rank);
      ranks.put(pair[0] + " " + pair[1], rank);
      vocab.add(pair[0] + pair[1]);
    }
    vocab.addAll(specialTokens);
    symbols = vocab.toArray(new String[0]);
    vocabulary = new HashMap<>(symbols.length * 2);
    for (int id = 0; id < symbols.length; id++) {
      vocabulary.put(symbols[id], id);
    }
  }

  /** Vocabulary size (merges, bytes and special tokens). */
  int size() {
    return symbols.length;
  }

  /** The id of a vocabulary symbol. */
  int idOf(String symbol) {
    Integer id = vocabulary.get(symbol);
    if (id == null) {
      throw new IllegalArgumentException("not in the vocabulary: " + symbol);
    }
    return id;
  }

  /** The symbol of an id. */
  String symbolOf(int id) {
    return symbols[id];
  }

  /** The ids of one byte-mapped pre-token. */
  int[] encode(String token) {
    int[] ids = cache.get(token);
    if (ids == null) {
      ids = merge(token).stream().mapToInt(this::idOf).toArray();
      if (cache.size() >= cacheLimit) {
        cache.clear(); // bounded: a stream of unique words cannot grow it without limit
      }
      cache.put(token, ids);
    }
    return ids;
  }

  /** Entries in the cache now. */
  int cacheSize() {
    return cache.size();
  }

  private List<String> merge(String token) {
    List<String> word = new ArrayList<>(token.length());
    for (int i = 0; i < token.length(); i++) {
      word.add(String.valueOf(token.charAt(i)));
    }
    word.set(word.size() - 1, word.get(word.size() - 1) + END_OF_WORD);
    while (word.size() > 1) {
      int best = Integer.MAX_VALUE;
      String first = null;
      String second = null;
      for (int i = 0; i + 1 < word.size(); i++) {
        Integer rank = ranks.get(word.get(i) + " " + word.get(i + 1));
        if (rank != null && rank < best) {
          best = rank;
          first = word.get(i);
          second = word.get(i + 1);
        }
      }
      if (first == null) {
        break;
      }
      List<String> merged = new ArrayList<>(word.size());
      for (int i = 0; i < word.size(); ) {
        if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
          merged.add(first + second);
          i += 2;
        } else {
          merged.add(word.get(i));
          i++;
        }
      }
      word = merged;
    }
    return word;
  }
}
