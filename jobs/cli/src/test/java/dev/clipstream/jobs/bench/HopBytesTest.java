package dev.clipstream.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.io.DecodeEvent;
import dev.clipstream.jobs.io.DecodeImage;
import dev.clipstream.jobs.io.KafkaRecord;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.jobs.io.RecordOrigin;
import dev.clipstream.jobs.io.SourcedEvent;
import dev.clipstream.jobs.runtime.DemoEvents;
import dev.clipstream.jobs.runtime.DemoImages;
import dev.clipstream.jobs.soak.SoakPhotos;
import dev.clipstream.jobs.tagging.EncodedImage;
import dev.clipstream.jobs.tagging.ResultOptions;
import dev.clipstream.jobs.tagging.ToTagResult;
import dev.clipstream.model.data.DatasetLocator;
import dev.clipstream.model.data.FashionMnist;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.schemas.ImageEvent;
import dev.clipstream.schemas.TagResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes per event on each hop of the tagging job, as Flink's own serializers for the hop's types
 * write them, for real events through the real decode operators: Fashion-MNIST PNGs at 28 px and
 * the soak's photo JPEGs at 224 px. "Before" is the layout the hop into the encoder had until the
 * crop replaced the floats and the record's position replaced the record (the same fields, in
 * {@link FloatPixelsImage} and {@link RecordCarryingResult}); the table goes to docs/benchmarks.md.
 */
class HopBytesTest {

  /** The embedding width of the default 28 px model and of ViT-B/32 (OpenAI's config). */
  private static final int DEFAULT_MODEL_DIM = 64;

  private static final int VIT_B32_DIM = 512;

  /** Per-field flags, lengths and the nested origin: what a PreparedImage adds to its payload. */
  private static final int MAX_FIELD_OVERHEAD = 128;

  @TempDir static Path cache;

  @Test
  void theHopIntoTheEncoderCarriesTheEightBitCropAndNotTheRecord() throws Exception {
    DemoEvents fashion =
        new DemoImages(
            FashionMnist.load(FashionMnist.Split.TEST, new DatasetLocator(Optional.empty(), cache))
                .head(100));
    Row small = measure(fashion, 100, 28, DEFAULT_MODEL_DIM, FashionMnist.CLASSES);
    SoakPhotos photos = SoakPhotos.load();
    Row large = measure(photos, photos.count(), 224, VIT_B32_DIM, SoakPhotos.LABELS);

    System.out.println("| hop | type | 28 px before | 28 px now | 224 px before | 224 px now |");
    System.out.println("|---|---|---:|---:|---:|---:|");
    hop(
        "source → decode-event (chained)",
        "KafkaRecord",
        small.record,
        small.record,
        large.record,
        large.record);
    hop(
        "decode-event → decode-image (chained)",
        "SourcedEvent",
        small.sourced,
        small.sourced,
        large.sourced,
        large.sourced);
    hop(
        "decode-image → batch-encode-label (network)",
        "PreparedImage",
        small.preparedBefore,
        small.prepared,
        large.preparedBefore,
        large.prepared);
    hop(
        "batch-encode-label → to-tag-result / flag-near-duplicates",
        "EncodedImage",
        small.encodedBefore,
        small.encoded,
        large.encodedBefore,
        large.encoded);
    hop(
        "to-tag-result → Kafka sink (record value)",
        "TagResult",
        small.result,
        small.result,
        large.result,
        large.result);
    System.out.printf(
        "crop 3×S×S: %,d and %,d bytes; thumbnails: %,d and %,d bytes per event%n",
        3 * 28 * 28, 3 * 224 * 224, small.thumbnail, large.thumbnail);

    assertTrue(large.prepared * 3.5 < large.preparedBefore, "at 224 px under a third as before");
  }

  /** One row of the table: the hop, its type, and bytes before and now at 28 and 224 px. */
  private static void hop(String hop, String type, long... bytes) {
    System.out.printf(
        "| %s | %s | %,d | %,d | %,d | %,d |%n", hop, type, bytes[0], bytes[1], bytes[2], bytes[3]);
  }

  /** Mean bytes per event of each hop's record. */
  record Row(
      long record,
      long sourced,
      long preparedBefore,
      long prepared,
      long encodedBefore,
      long encoded,
      long result,
      long thumbnail) {}

  private static Row measure(DemoEvents events, int count, int size, int dim, List<String> labels)
      throws Exception {
    SingleObjectCodec<ImageEvent> codec = SingleObjectCodec.of(ImageEvent.class);
    SingleObjectCodec<TagResult> results = SingleObjectCodec.of(TagResult.class);
    long[] sum = new long[8];
    try (var decodeEvent = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeEvent());
        var decodeImage =
            ProcessFunctionTestHarnesses.forProcessFunction(
                new DecodeImage(PreprocessOptions.defaults(size))
                    .withThumbnails(ResultOptions.DEFAULT_THUMBNAIL_SIZE));
        var toResult =
            new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new ToTagResult()))) {
      toResult.open();
      for (int n = 0; n < count; n++) {
        KafkaRecord record =
            new KafkaRecord("images", 0, n, 1_700_000_000_000L + n, codec.encode(events.event(n)));
        decodeEvent.processElement(record, n);
        SourcedEvent sourced = last(decodeEvent.extractOutputValues());
        decodeImage.processElement(sourced, n);
        PreparedImage prepared = last(decodeImage.extractOutputValues());
        assertCarriesTheCropAndTheIds(prepared, record, size);
        EncodedImage encoded = encoded(prepared, dim, labels);
        toResult.processElement(encoded, n);
        TagResult result = last(toResult.extractOutputValues());

        sum[0] += bytes(KafkaRecord.class, record);
        sum[1] += bytes(SourcedEvent.class, sourced);
        sum[2] += bytes(FloatPixelsImage.class, FloatPixelsImage.of(prepared, record));
        sum[3] += bytes(PreparedImage.class, prepared);
        sum[4] += bytes(RecordCarryingResult.class, RecordCarryingResult.of(encoded, record));
        sum[5] += bytes(EncodedImage.class, encoded);
        sum[6] += results.encode(result).length;
        sum[7] += prepared.thumbnail.length;
      }
    }
    long[] mean = Arrays.stream(sum).map(s -> Math.round((double) s / count)).toArray();
    return new Row(mean[0], mean[1], mean[2], mean[3], mean[4], mean[5], mean[6], mean[7]);
  }

  private static void assertCarriesTheCropAndTheIds(
      PreparedImage prepared, KafkaRecord record, int size) throws Exception {
    assertEquals(3 * size * size, prepared.rgb.length, "the 8-bit crop");
    assertNull(prepared.payload, "not the record's value");
    assertEquals(RecordOrigin.of(record), prepared.origin);
    long strings = 0;
    for (String s :
        new String[] {
          prepared.eventId, prepared.caption, prepared.producer, prepared.label, record.topic
        }) {
      strings += s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
    long overhead =
        bytes(PreparedImage.class, prepared)
            - prepared.rgb.length
            - prepared.thumbnail.length
            - strings;
    assertTrue(overhead <= MAX_FIELD_OVERHEAD, "beyond crop, thumbnail and ids: " + overhead);
    float[] floats = prepared.normalised();
    assertArrayEquals(
        dev.clipstream.model.preprocess.ImagePreprocessor.quantise(floats), prepared.rgb);
  }

  /** What the encoder makes of {@code in}: embeddings of {@code dim}, the top three labels. */
  private static EncodedImage encoded(PreparedImage in, int dim, List<String> labels) {
    float[] unit = new float[dim];
    Arrays.fill(unit, (float) (1 / Math.sqrt(dim)));
    EncodedImage out =
        new EncodedImage(
            in.eventId, in.eventTime, "m-1", unit.clone(), in.caption == null ? null : unit);
    out.producer = in.producer;
    out.caption = in.caption;
    out.thumbnail = in.thumbnail;
    out.labelSet = "labels";
    out.labelSetVersion = 1;
    out.labels = labels.subList(0, 3).toArray(String[]::new);
    out.scores = new float[] {0.7f, 0.2f, 0.1f};
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T> long bytes(Class<T> type, T value) throws java.io.IOException {
    TypeSerializer<T> serializer =
        (TypeSerializer<T>) TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    serializer.serialize(value, out);
    return out.length();
  }

  private static <T> T last(List<T> values) {
    return values.get(values.size() - 1);
  }

  /** The hop's record as it was: the normalised floats and the whole Kafka record. */
  public static class FloatPixelsImage {
    public String eventId;
    public long eventTime;
    public String caption;
    public int size;
    public float[] pixels;
    public KafkaRecord source;
    public String producer;
    public String label;
    public byte[] thumbnail;

    public FloatPixelsImage() {}

    static FloatPixelsImage of(PreparedImage now, KafkaRecord record) {
      FloatPixelsImage was = new FloatPixelsImage();
      was.eventId = now.eventId;
      was.eventTime = now.eventTime;
      was.caption = now.caption;
      was.size = now.size;
      was.pixels = now.normalised();
      was.source = record;
      was.producer = now.producer;
      was.label = now.label;
      was.thumbnail = now.thumbnail;
      return was;
    }
  }

  /** The encoder's output as it was: with the whole Kafka record. */
  public static class RecordCarryingResult extends EncodedImage {
    public KafkaRecord source;

    public RecordCarryingResult() {}

    static RecordCarryingResult of(EncodedImage now, KafkaRecord record) {
      RecordCarryingResult was = new RecordCarryingResult();
      for (java.lang.reflect.Field f : EncodedImage.class.getFields()) {
        try {
          f.set(was, f.get(now));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
      was.source = record;
      return was;
    }
  }
}
