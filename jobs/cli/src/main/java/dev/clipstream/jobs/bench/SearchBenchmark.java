package dev.clipstream.jobs.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.index.DirectIndexWriter;
import dev.clipstream.jobs.index.IndexHit;
import dev.clipstream.jobs.index.IndexQuery;
import dev.clipstream.jobs.index.IndexSearch;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The search index measured on real embeddings: every image of a labelled set encoded by the model,
 * indexed, then recall@10 of HNSW against exact search (brute force over the same embeddings),
 * query latency, ingest rate, and text-to-image precision@10 per class name.
 */
public final class SearchBenchmark {
  private static final int BATCH = 256;
  private static final int K = 10;

  private final ClipModel model;
  private final String modelVersion;
  private final LabelledImages images;
  private final PrintWriter log;

  public SearchBenchmark(
      ClipModel model, String modelVersion, LabelledImages images, PrintWriter log) {
    this.model = model;
    this.modelVersion = modelVersion;
    this.images = images;
    this.log = log;
  }

  /** Runs everything with {@code queries} image queries; returns the Markdown report. */
  public String run(Path indexDir, int queries, int[] candidateCounts) throws IOException {
    long t0 = System.nanoTime();
    float[][] embeddings = embedAll();
    double embedSeconds = (System.nanoTime() - t0) / 1e9;
    log.printf(Locale.ROOT, "encoded %d images in %.1f s%n", images.count(), embedSeconds);
    log.flush();

    // Warm up (class loading, JIT) on a scratch index, so the rate is the writer's, not the JVM's.
    Path scratch = indexDir.resolveSibling(indexDir.getFileName() + "-warm-up");
    try (DirectIndexWriter writer = new DirectIndexWriter(scratch)) {
      for (int i = 0; i < Math.min(2000, embeddings.length); i++) {
        writer.upsert(result(i, embeddings[i]));
      }
      writer.publish();
    }
    long t1 = System.nanoTime();
    try (DirectIndexWriter writer = new DirectIndexWriter(indexDir)) {
      for (int i = 0; i < embeddings.length; i++) {
        writer.upsert(result(i, embeddings[i]));
      }
      writer.publish();
    }
    double ingestSeconds = (System.nanoTime() - t1) / 1e9;
    double ingestRate = embeddings.length / ingestSeconds;
    log.printf(Locale.ROOT, "indexed in %.1f s (%.0f documents/s)%n", ingestSeconds, ingestRate);
    log.flush();

    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "%d images, model %s, embedding width %d; %d image queries (seeded sample of the"
                + " indexed images) and %d class-name text queries.%n%n",
            images.count(),
            modelVersion,
            embeddings[0].length,
            queries,
            images.classes().size()));
    md.append(
        String.format(
            Locale.ROOT,
            "Index ingest (one writer, one commit at the end, after a warm-up of 2,000 on a scratch index): %.0f documents/s (%.1f s for %d)."
                + " Encoding the images took %.1f s (%.0f images/s, batches of %d, this machine).%n%n",
            ingestRate,
            ingestSeconds,
            embeddings.length,
            embedSeconds,
            embeddings.length / embedSeconds,
            BATCH));

    Random random = new Random(16);
    int[] queryRows = random.ints(queries, 0, embeddings.length).toArray();
    List<float[]> texts = classTexts("a photo of a %s.");
    List<float[]> rawTexts = classTexts("%s");
    md.append(
        "| candidates | recall@10 (image queries) | recall@10 (text queries) | p50 ms | p99 ms |\n");
    md.append("| ---: | ---: | ---: | ---: | ---: |\n");
    try (IndexSearch search = IndexSearch.open(indexDir)) {
      // Warm the searcher (page cache, JIT) before timing.
      for (int i = 0; i < Math.min(200, queries); i++) {
        search.search(IndexQuery.nearest(embeddings[queryRows[i]], modelVersion, K));
      }
      for (int candidates : candidateCounts) {
        double recall = 0;
        long[] nanos = new long[queries];
        for (int q = 0; q < queries; q++) {
          float[] vector = embeddings[queryRows[q]];
          long s = System.nanoTime();
          List<IndexHit> hits = search.search(query(vector, candidates));
          nanos[q] = System.nanoTime() - s;
          recall += overlap(hits, exact(embeddings, vector)) / (double) K;
        }
        double textRecall = 0;
        for (float[] t : texts) {
          textRecall +=
              overlap(search.search(query(t, candidates)), exact(embeddings, t)) / (double) K;
        }
        Arrays.sort(nanos);
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %.4f | %.4f | %.2f | %.2f |%n",
                candidates,
                recall / queries,
                textRecall / texts.size(),
                nanos[(int) Math.ceil(0.50 * queries) - 1] / 1e6,
                nanos[(int) Math.ceil(0.99 * queries) - 1] / 1e6));
        log.printf(Locale.ROOT, "candidates %d: recall@10 %.4f%n", candidates, recall / queries);
        log.flush();
      }
      md.append("\nText-to-image precision@10 per class (default ")
          .append(IndexQuery.DEFAULT_CANDIDATES)
          .append(" candidates): share of the ten hits whose true class is the queried one.\n\n");
      md.append("| class | \"a photo of a {class}.\" | \"{class}\" |\n| --- | ---: | ---: |\n");
      double sumTemplate = 0;
      double sumRaw = 0;
      for (int c = 0; c < images.classes().size(); c++) {
        double p = precision(search, texts.get(c), c);
        double r = precision(search, rawTexts.get(c), c);
        sumTemplate += p;
        sumRaw += r;
        md.append(
            String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", images.classes().get(c), p, r));
      }
      int n = images.classes().size();
      md.append(
          String.format(
              Locale.ROOT, "| **mean** | **%.2f** | **%.2f** |%n", sumTemplate / n, sumRaw / n));
    }
    return md.toString();
  }

  private IndexQuery query(float[] vector, int candidates) {
    return new IndexQuery(vector, modelVersion, K, Optional.empty(), Optional.empty(), candidates);
  }

  private double precision(IndexSearch search, float[] text, int classIndex) throws IOException {
    int right = 0;
    for (IndexHit h : search.search(IndexQuery.nearest(text, modelVersion, K))) {
      int row = Integer.parseInt(h.eventId().substring("fm-".length()));
      right += images.labels()[row] == classIndex ? 1 : 0;
    }
    return right / (double) K;
  }

  private List<float[]> classTexts(String template) {
    List<String> texts = new ArrayList<>();
    for (String name : images.classes()) {
      texts.add(String.format(Locale.ROOT, template, name.toLowerCase(Locale.ROOT)));
    }
    try (NDManager batch = model.newBatchManager()) {
      float[] all =
          new ClipTextEmbedder(model, ClipTokenizer.load()).embed(batch, texts).toFloatArray();
      int d = all.length / texts.size();
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        out.add(Arrays.copyOfRange(all, i * d, (i + 1) * d));
      }
      return out;
    }
  }

  /** The exact top-k rows by dot product (the embeddings are unit length), best first. */
  private static Set<String> exact(float[][] embeddings, float[] q) {
    int[] best = new int[K];
    float[] scores = new float[K];
    Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < embeddings.length; i++) {
      float s = 0;
      float[] e = embeddings[i];
      for (int j = 0; j < e.length; j++) {
        s += e[j] * q[j];
      }
      if (s > scores[K - 1]) {
        int at = K - 1;
        while (at > 0 && scores[at - 1] < s) {
          scores[at] = scores[at - 1];
          best[at] = best[at - 1];
          at--;
        }
        scores[at] = s;
        best[at] = i;
      }
    }
    Set<String> ids = new HashSet<>();
    for (int b : best) {
      ids.add("fm-" + b);
    }
    return ids;
  }

  private static int overlap(List<IndexHit> hits, Set<String> exact) {
    int n = 0;
    for (IndexHit h : hits) {
      n += exact.contains(h.eventId()) ? 1 : 0;
    }
    return n;
  }

  private TagResult result(int row, float[] embedding) {
    List<Float> boxed = new ArrayList<>(embedding.length);
    for (float v : embedding) {
      boxed.add(v);
    }
    Instant now = Instant.now();
    return TagResult.newBuilder()
        .setEventId("fm-" + row)
        .setEventTime(now)
        .setProcessingTime(now)
        .setModelVersion(modelVersion)
        .setImageEmbedding(boxed)
        .setLabels(List.of(new LabelScore(images.className(row), 1f)))
        .setLabelSet("dataset")
        .setLabelSetVersion(1)
        .build();
  }

  private float[][] embedAll() {
    int side = model.config().imageResolution();
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(side));
    float[][] out = new float[images.count()][];
    try (NDManager manager = model.newBatchManager()) {
      for (int start = 0; start < images.count(); start += BATCH) {
        int end = Math.min(images.count(), start + BATCH);
        float[] pixels = new float[(end - start) * 3 * side * side];
        for (int i = start; i < end; i++) {
          float[] chw = preprocessor.preprocess(images.pixels(i));
          System.arraycopy(chw, 0, pixels, (i - start) * 3 * side * side, 3 * side * side);
        }
        try (NDManager batch = manager.newSubManager()) {
          NDArray features =
              model.encodeImage(batch.create(pixels, new Shape(end - start, 3, side, side)));
          float[] flat = features.div(features.norm(new int[] {1}, true)).toFloatArray();
          int d = flat.length / (end - start);
          for (int i = start; i < end; i++) {
            out[i] = Arrays.copyOfRange(flat, (i - start) * d, (i - start + 1) * d);
          }
        }
      }
    }
    return out;
  }
}
