package dev.clipstream.jobs.index;

import dev.clipstream.schemas.LabelScore;
import dev.clipstream.schemas.TagResult;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How a {@link TagResult} is laid out as a Lucene document. One document per event <em>and model
 * version</em>: the upsert key joins the two, so a replay replaces an event's document while a
 * re-embed with a newer model adds a second one beside it, never mixing the two embedding spaces.
 */
public final class IndexDocuments {
  private IndexDocuments() {}

  /** The upsert key: event id and model version. */
  public static final String KEY = "key";

  public static final String ID = "id";
  public static final String MODEL = "model";

  /** The top label, indexed for {@code --label}. */
  public static final String TOP_LABEL = "label";

  /** Every kept label with its score, stored as {@code name=score} values, best first. */
  public static final String LABELS = "labels";

  public static final String LABEL_SET = "labelSet";
  public static final String LABEL_SET_VERSION = "labelSetVersion";
  public static final String TIME = "time";
  public static final String PROCESSED = "processed";
  public static final String CAPTION_SIMILARITY = "captionSimilarity";

  /** The event's caption, stored (not analysed: search is by vector). */
  public static final String CAPTION = "caption";

  /** The result's thumbnail JPEG, stored as bytes. */
  public static final String THUMBNAIL = "thumbnail";

  /**
   * The embeddings are L2-normalised, so the dot product is their cosine; Lucene scores it as (1 +
   * cosine) / 2.
   */
  public static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  /**
   * The vector field for embeddings of {@code dimension}: one field per width, because a Lucene
   * vector field has one dimension, and two models of different widths may share an index.
   */
  public static String vectorField(int dimension) {
    return "vector" + dimension;
  }

  /** The term that names the document of {@code eventId} encoded by {@code modelVersion}. */
  public static Term key(String eventId, String modelVersion) {
    return new Term(KEY, eventId + '\n' + modelVersion);
  }

  /** The cosine of a Lucene vector score. */
  public static float cosine(float luceneScore) {
    return 2 * luceneScore - 1;
  }

  /** The document of one result. */
  public static Document of(TagResult result) {
    Document doc = new Document();
    String id = result.getEventId().toString();
    String model = result.getModelVersion().toString();
    doc.add(new StringField(KEY, key(id, model).text(), Field.Store.NO));
    doc.add(new StringField(ID, id, Field.Store.YES));
    doc.add(new StringField(MODEL, model, Field.Store.YES));
    List<LabelScore> labels = result.getLabels();
    if (!labels.isEmpty()) {
      doc.add(new StringField(TOP_LABEL, labels.get(0).getLabel().toString(), Field.Store.NO));
    }
    for (LabelScore label : labels) {
      doc.add(new StoredField(LABELS, label.getLabel() + "=" + label.getScore()));
    }
    doc.add(new StoredField(LABEL_SET, result.getLabelSet().toString()));
    doc.add(new StoredField(LABEL_SET_VERSION, result.getLabelSetVersion()));
    long time = result.getEventTime().toEpochMilli();
    doc.add(new LongPoint(TIME, time));
    doc.add(new StoredField(TIME, time));
    doc.add(new StoredField(PROCESSED, result.getProcessingTime().toEpochMilli()));
    if (result.getCaptionSimilarity() != null) {
      doc.add(new StoredField(CAPTION_SIMILARITY, result.getCaptionSimilarity()));
    }
    if (result.getCaption() != null) {
      doc.add(new StoredField(CAPTION, result.getCaption()));
    }
    if (result.getThumbnail() != null) {
      java.nio.ByteBuffer jpeg = result.getThumbnail().duplicate();
      byte[] bytes = new byte[jpeg.remaining()];
      jpeg.get(bytes);
      doc.add(new StoredField(THUMBNAIL, bytes));
    }
    float[] vector = unboxed(result.getImageEmbedding());
    doc.add(new KnnFloatVectorField(vectorField(vector.length), vector, SIMILARITY));
    return doc;
  }

  static float[] unboxed(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
