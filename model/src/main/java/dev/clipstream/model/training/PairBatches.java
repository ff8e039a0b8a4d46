package dev.clipstream.model.training;

import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns captioned pairs into a {@link CaptionedBatch}: captions that are the same once normalised
 * (case, spacing, closing punctuation) share one text row, so their images are positives of each
 * other — as in the offline trainer, where identical captions are grouped.
 */
public final class PairBatches {
  private PairBatches() {}

  /** The form in which two captions count as the same. */
  public static String normalise(String caption) {
    String s = caption.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
    while (!s.isEmpty() && ".!?,;:".indexOf(s.charAt(s.length() - 1)) >= 0) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  /** One batch of every pair, in order. */
  public static CaptionedBatch of(
      List<CaptionedPair> pairs, ClipTokenizer tokenizer, int resolution, int contextLength) {
    int n = pairs.size();
    int plane = 3 * resolution * resolution;
    float[] pixels = new float[n * plane];
    int[] captionOf = new int[n];
    Map<String, Integer> rows = new HashMap<>();
    List<long[]> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CaptionedPair pair = pairs.get(i);
      if (pair.rgb.length != plane) {
        throw new IllegalArgumentException(
            "pair " + i + " has " + pair.rgb.length + " values, not " + plane);
      }
      ImagePreprocessor.normaliseInto(pair.rgb, pixels, i * plane);
      captionOf[i] =
          rows.computeIfAbsent(
              normalise(pair.caption),
              key -> {
                ids.add(
                    java.util.Arrays.stream(tokenizer.tokenize(pair.caption, contextLength))
                        .asLongStream()
                        .toArray());
                return ids.size() - 1;
              });
    }
    return new CaptionedBatch(n, resolution, pixels, ids.toArray(new long[0][]), captionOf);
  }
}
