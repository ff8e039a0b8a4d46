package dev.clipstream.jobs.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Searches the visible commit of an index folder: what the sink published when its last checkpoint
 * completed, never a commit still waiting for its checkpoint. Needs no Flink. Every failure to open
 * or to answer is an {@link IndexError} with a one-line message.
 */
public final class IndexSearch implements AutoCloseable {
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final long commit;

  private IndexSearch(Directory directory, DirectoryReader reader, long commit) {
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.commit = commit;
  }

  /** Opens the visible commit of the index at {@code root}. */
  public static IndexSearch open(Path root) throws IOException {
    IndexLayout layout = new IndexLayout(root);
    if (!Files.isDirectory(layout.lucene())) {
      throw new IndexError(
          "no index at " + root + " (the index job writes one: clipstream job index --index DIR)");
    }
    OptionalLong visible = layout.visible();
    if (visible.isEmpty()) {
      throw new IndexError(
          "the index at " + root + " has no completed checkpoint yet: nothing is searchable");
    }
    Directory dir = FSDirectory.open(layout.lucene());
    try {
      IndexCommit c =
          IndexLayout.commit(dir, visible.getAsLong())
              .orElseThrow(
                  () ->
                      new IndexError(
                          "the index at "
                              + root
                              + " lost its visible commit "
                              + visible.getAsLong()
                              + " (the job is rolling it back?): try again"));
      IndexLayout.checkFormat(c, root);
      return new IndexSearch(dir, DirectoryReader.open(c), visible.getAsLong());
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** The nearest vectors of the query's model version that pass its filters, best first. */
  public List<IndexHit> search(IndexQuery query) throws IOException {
    if (searcher.count(new TermQuery(new Term(IndexDocuments.MODEL, query.modelVersion()))) == 0) {
      Map<String, Integer> versions = perModelVersion();
      throw new IndexError(
          "the index holds no vectors of model "
              + query.modelVersion()
              + " (it holds "
              + (versions.isEmpty() ? "none" : String.join(", ", versions.keySet()))
              + "): embed the query with the model that made the vectors");
    }
    String field = IndexDocuments.vectorField(query.vector().length);
    if (!hasVectorField(field)) {
      throw new IndexError(
          "model "
              + query.modelVersion()
              + "'s vectors in the index do not have the query's dimension "
              + query.vector().length);
    }
    BooleanQuery.Builder filter = new BooleanQuery.Builder();
    filter.add(
        new TermQuery(new Term(IndexDocuments.MODEL, query.modelVersion())),
        BooleanClause.Occur.FILTER);
    query
        .label()
        .ifPresent(
            l ->
                filter.add(
                    new TermQuery(new Term(IndexDocuments.TOP_LABEL, l)),
                    BooleanClause.Occur.FILTER));
    query
        .sinceMillis()
        .ifPresent(
            t ->
                filter.add(
                    LongPoint.newRangeQuery(IndexDocuments.TIME, t, Long.MAX_VALUE),
                    BooleanClause.Occur.FILTER));
    Query knn = new KnnFloatVectorQuery(field, query.vector(), query.candidates(), filter.build());
    TopDocs top = searcher.search(knn, query.candidates());
    List<IndexHit> hits = new ArrayList<>();
    StoredFields stored = searcher.storedFields();
    for (ScoreDoc s : top.scoreDocs) {
      if (hits.size() == query.k()) {
        break;
      }
      hits.add(hit(stored.document(s.doc), IndexDocuments.cosine(s.score)));
    }
    return hits;
  }

  /**
   * The vector the index holds for {@code eventId} under {@code modelVersion}, for "more like this
   * one" searches; empty if the visible commit has no such document.
   */
  public Optional<float[]> vector(String eventId, String modelVersion) throws IOException {
    TopDocs top = searcher.search(new TermQuery(IndexDocuments.key(eventId, modelVersion)), 1);
    if (top.scoreDocs.length == 0) {
      return Optional.empty();
    }
    int doc = top.scoreDocs[0].doc;
    LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
    int local = doc - leaf.docBase;
    for (FieldInfo info : leaf.reader().getFieldInfos()) {
      if (!info.hasVectorValues()) {
        continue;
      }
      FloatVectorValues values = leaf.reader().getFloatVectorValues(info.name);
      if (values != null && values.advance(local) == local) {
        return Optional.of(values.vectorValue().clone());
      }
    }
    return Optional.empty();
  }

  /** Counts of the visible commit. */
  public IndexStats stats() throws IOException {
    return new IndexStats(commit, reader.numDocs(), eventIds().size(), perModelVersion());
  }

  /** Documents per model version, in version order. */
  public Map<String, Integer> perModelVersion() throws IOException {
    Map<String, Integer> perVersion = new TreeMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      Terms terms = leaf.reader().terms(IndexDocuments.MODEL);
      if (terms == null) {
        continue;
      }
      TermsEnum it = terms.iterator();
      for (BytesRef t = it.next(); t != null; t = it.next()) {
        perVersion.putIfAbsent(t.utf8ToString(), 0);
      }
    }
    for (Map.Entry<String, Integer> e : perVersion.entrySet()) {
      e.setValue(searcher.count(new TermQuery(new Term(IndexDocuments.MODEL, e.getKey()))));
    }
    return perVersion;
  }

  /** The distinct event ids in the visible commit. */
  public Set<String> eventIds() throws IOException {
    Set<String> ids = new HashSet<>();
    StoredFields stored = searcher.storedFields();
    TopDocs all = searcher.search(new MatchAllDocsQuery(), Math.max(1, reader.numDocs()));
    for (ScoreDoc s : all.scoreDocs) {
      ids.add(stored.document(s.doc, Set.of(IndexDocuments.ID)).get(IndexDocuments.ID));
    }
    return ids;
  }

  private boolean hasVectorField(String field) {
    for (LeafReaderContext leaf : reader.leaves()) {
      FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(field);
      if (info != null && info.hasVectorValues()) {
        return true;
      }
    }
    return false;
  }

  private static IndexHit hit(Document doc, float cosine) {
    List<IndexHit.Label> labels = new ArrayList<>();
    for (IndexableField f : doc.getFields(IndexDocuments.LABELS)) {
      String v = f.stringValue();
      int eq = v.lastIndexOf('=');
      labels.add(new IndexHit.Label(v.substring(0, eq), Float.parseFloat(v.substring(eq + 1))));
    }
    return new IndexHit(
        doc.get(IndexDocuments.ID),
        cosine,
        doc.get(IndexDocuments.MODEL),
        doc.getField(IndexDocuments.TIME).numericValue().longValue(),
        labels,
        doc.get(IndexDocuments.LABEL_SET),
        doc.getField(IndexDocuments.LABEL_SET_VERSION).numericValue().longValue(),
        doc.get(IndexDocuments.CAPTION),
        thumbnail(doc));
  }

  private static byte[] thumbnail(Document doc) {
    org.apache.lucene.util.BytesRef jpeg = doc.getBinaryValue(IndexDocuments.THUMBNAIL);
    return jpeg == null
        ? null
        : java.util.Arrays.copyOfRange(jpeg.bytes, jpeg.offset, jpeg.offset + jpeg.length);
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
