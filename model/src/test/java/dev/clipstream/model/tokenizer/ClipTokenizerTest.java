package dev.clipstream.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipTokenizerTest {

  record Case(String text, int[] ids) {}

  static ClipTokenizer tokenizer;
  static List<Case> cases;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = ClipTokenizer.load();
    cases = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                ClipTokenizerTest.class.getResourceAsStream("cases.jsonl"),
                StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        JsonNode node = json.readTree(line);
        int[] ids = new int[node.get("ids").size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = node.get("ids").get(i).asInt();
        }
        cases.add(new Case(node.get("text").asText(), ids));
      }
    }
  }

  @Test
  void givesOpenAisIdsForEveryReferenceText() {
    assertEquals(934, cases.size());
    List<String> mismatches = new ArrayList<>();
    for (Case c : cases) {
      int[] ours = tokenizer.encodeWithSpecialTokens(c.text());
      if (!Arrays.equals(c.ids(), ours)) {
        mismatches.add(
            c.text()
                + "\n  expected "
                + Arrays.toString(c.ids())
                + "\n  got      "
                + Arrays.toString(ours));
      }
    }
    assertTrue(
        mismatches.isEmpty(),
        mismatches.size() + " of 934 differ:\n" + String.join("\n", mismatches));
  }

  @Test
  void hasOpenAisVocabularySize() {
    assertEquals(49408, tokenizer.vocabularySize());
  }

  @Test
  void truncatesALongTextKeepingTheEndTokenLast() {
    Case longest =
        cases.stream().max((a, b) -> Integer.compare(a.ids().length, b.ids().length)).orElseThrow();
    assertTrue(longest.ids().length > 77, "the reference has a text longer than the context");

    int[] row = tokenizer.tokenize(longest.text());

    assertEquals(77, row.length);
    assertEquals(ClipTokenizer.START_OF_TEXT, row[0]);
    assertEquals(ClipTokenizer.END_OF_TEXT, row[76]);
    assertArrayEquals(Arrays.copyOf(longest.ids(), 76), Arrays.copyOf(row, 76));
  }

  @Test
  void padsAShortTextWithZeros() {
    int[] row = tokenizer.tokenize("a photo of a cat.", 16);

    assertEquals(16, row.length);
    int[] framed = tokenizer.encodeWithSpecialTokens("a photo of a cat.");
    assertArrayEquals(framed, Arrays.copyOf(row, framed.length));
    for (int i = framed.length; i < 16; i++) {
      assertEquals(0, row[i]);
    }
  }

  @Test
  void decodesHtmlReferencesTwiceCollapsesWhitespaceAndLowerCases() {
    assertArrayEquals(tokenizer.encode("& <b>"), tokenizer.encode("&amp;amp; &lt;B&gt;"));
    assertArrayEquals(tokenizer.encode("a dog"), tokenizer.encode("  A \t\n DOG\u00a0 "));
    assertArrayEquals(
        tokenizer.encode("σοφία"), tokenizer.encode("ΣΟΦΊΑ"), "Python lower-cases a final Σ to σ");
  }

  @Test
  void splitsContractionsAndDigits() {
    String[] pieces = {"it", "'s", "2", "0", "2", "6"};
    int total = 0;
    for (String p : pieces) {
      total += tokenizer.encode(p).length;
    }
    assertEquals(total, tokenizer.encode("it's 2026").length);
  }

  @Test
  void keepsTheSpecialTokensWhole() {
    assertArrayEquals(new int[] {ClipTokenizer.END_OF_TEXT}, tokenizer.encode("<|endoftext|>"));
  }

  @Test
  void decodesItsOwnIdsBackToTheCleanedText() {
    assertEquals(
        "a photo of a golden retriever",
        tokenizer.decode(tokenizer.tokenize("A photo of a  Golden Retriever")));
  }

  @Test
  void boundsItsCacheAndGivesTheSameIdsColdOrWarm() throws IOException {
    ClipTokenizer fresh = ClipTokenizer.load();
    int[] cold = fresh.encode("uncommonword zebra-crossing");
    for (int i = 0; i < ClipTokenizer.CACHE_LIMIT + 10; i++) {
      fresh.encode("w" + i);
    }
    assertTrue(fresh.cacheSize() <= ClipTokenizer.CACHE_LIMIT, "cache size " + fresh.cacheSize());
    assertArrayEquals(cold, fresh.encode("uncommonword zebra-crossing"));
  }

  @Test
  void givesTheSameIdsFromManyThreads() throws Exception {
    ClipTokenizer shared = ClipTokenizer.load();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () ->
                    cases.stream()
                        .allMatch(
                            c ->
                                Arrays.equals(c.ids(), shared.encodeWithSpecialTokens(c.text())))));
      }
      for (Future<Boolean> r : results) {
        assertTrue(r.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
