package dev.clipstream.model.training;

import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.shifts.Picture;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.PromptTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Makes image/caption training batches from a labelled greyscale image set: each image gets a
 * caption from a random template filled with its label's name, and a random {@link Augmentation}
 * (mild resized crops and flips, or the wider {@link ShiftAugmentation}) before CLIP's
 * normalisation. The label is used only to write the caption; the model learns from the caption
 * text alone.
 */
public final class CaptionedImageSampler {

  /**
   * Smallest share of the image area a random crop keeps (a mild crop: the items fill the frame).
   */
  static final double MIN_CROP_AREA = 0.70;

  /** Crop aspect ratios between 3:4 and 4:3, as Inception-style random resized crops. */
  static final double MAX_LOG_ASPECT = Math.log(4.0 / 3.0);

  private final LabelledImages images;
  private final List<String> templates;
  private final int resolution;
  private final Augmentation augment;
  private final ShiftAugmentation shifts;
  private final Random random;
  private final int[] eligible;
  private final long[][] captionIds;

  /** A sampler with {@link Augmentation#CROPS} when {@code augment}, else none. */
  public CaptionedImageSampler(
      LabelledImages images,
      List<String> templates,
      ClipTokenizer tokenizer,
      int resolution,
      int contextLength,
      Set<Integer> excludedLabels,
      boolean augment,
      long seed) {
    this(
        images,
        templates,
        tokenizer,
        resolution,
        contextLength,
        excludedLabels,
        augment ? Augmentation.CROPS : Augmentation.NONE,
        seed);
  }

  /**
   * @param excludedLabels label indices whose images are never drawn (a model that has not seen
   *     them)
   */
  public CaptionedImageSampler(
      LabelledImages images,
      List<String> templates,
      ClipTokenizer tokenizer,
      int resolution,
      int contextLength,
      Set<Integer> excludedLabels,
      Augmentation augment,
      long seed) {
    this(
        images,
        templates,
        tokenizer,
        resolution,
        contextLength,
        excludedLabels,
        augment,
        ShiftMix.DEFAULT,
        seed);
  }

  /**
   * @param shiftMix with {@link Augmentation#SHIFTS}, the share of images that get only the mild
   *     crop and flip, and how the rest are placed and inverted
   */
  public CaptionedImageSampler(
      LabelledImages images,
      List<String> templates,
      ClipTokenizer tokenizer,
      int resolution,
      int contextLength,
      Set<Integer> excludedLabels,
      Augmentation augment,
      ShiftMix shiftMix,
      long seed) {
    this.images = images;
    this.templates = List.copyOf(templates);
    this.resolution = resolution;
    this.augment = augment;
    this.shifts = new ShiftAugmentation(resolution, shiftMix);
    this.random = new Random(seed);
    this.eligible =
        java.util.stream.IntStream.range(0, images.count())
            .filter(i -> !excludedLabels.contains(images.labels()[i]))
            .toArray();
    if (eligible.length == 0) {
      throw new IllegalArgumentException("every image is excluded");
    }
    int classes = images.classes().size();
    this.captionIds = new long[templates.size() * classes][];
    for (int t = 0; t < templates.size(); t++) {
      for (int c = 0; c < classes; c++) {
        String caption = PromptTemplates.fill(templates.get(t), images.classes().get(c));
        captionIds[t * classes + c] =
            java.util.Arrays.stream(tokenizer.tokenize(caption, contextLength))
                .asLongStream()
                .toArray();
      }
    }
  }

  /** Images that can be drawn. */
  public int eligibleCount() {
    return eligible.length;
  }

  /**
   * The next batch of {@code size} random images with captions, with the sampler's augmentation.
   */
  public CaptionedBatch next(int size) {
    return next(size, augment);
  }

  /** The next batch of {@code size} random images with captions, varied by {@code augmentation}. */
  public CaptionedBatch next(int size, Augmentation augmentation) {
    int classes = images.classes().size();
    float[] pixels = new float[size * 3 * resolution * resolution];
    int[] captionOf = new int[size];
    Map<Integer, Integer> distinct = new HashMap<>();
    List<long[]> rows = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int image = eligible[random.nextInt(eligible.length)];
      int caption = random.nextInt(templates.size()) * classes + images.labels()[image];
      captionOf[i] =
          distinct.computeIfAbsent(
              caption,
              c -> {
                rows.add(captionIds[c]);
                return rows.size() - 1;
              });
      render(image, augmentation, pixels, i * 3 * resolution * resolution);
    }
    return new CaptionedBatch(size, resolution, pixels, rows.toArray(new long[0][]), captionOf);
  }

  /** Image {@code index} exactly as the tagging pipeline would see it (no augmentation). */
  public float[] plain(int index) {
    float[] out = new float[3 * resolution * resolution];
    sample(index, 0, 0, images.width(), images.height(), false, out, 0);
    return out;
  }

  private void render(int image, Augmentation augment, float[] out, int offset) {
    if (augment == Augmentation.SHIFTS) {
      Picture base = Picture.of(images.pixels(image));
      if (base.width() != resolution || base.height() != resolution) {
        base = base.resized(resolution, resolution);
      }
      normalise(shifts.apply(base, random).toDecoded(), out, offset);
      return;
    }
    if (augment == Augmentation.NONE) {
      sample(image, 0, 0, images.width(), images.height(), false, out, offset);
      return;
    }
    double area =
        images.width()
            * images.height()
            * (MIN_CROP_AREA + random.nextDouble() * (1 - MIN_CROP_AREA));
    double aspect = Math.exp((random.nextDouble() * 2 - 1) * MAX_LOG_ASPECT);
    double w = Math.min(images.width(), Math.sqrt(area * aspect));
    double h = Math.min(images.height(), Math.sqrt(area / aspect));
    double x0 = random.nextDouble() * (images.width() - w);
    double y0 = random.nextDouble() * (images.height() - h);
    sample(image, x0, y0, w, h, random.nextBoolean(), out, offset);
  }

  /** An RGB picture of the resolution, normalised as CLIP's input into {@code out}. */
  private void normalise(DecodedImage rgb, float[] out, int offset) {
    int n = resolution * resolution;
    byte[] planar = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        planar[c * n + i] = rgb.pixels()[i * 3 + c];
      }
    }
    ImagePreprocessor.normaliseInto(planar, out, offset);
  }

  /** Bilinear resampling of the box (x0, y0, w, h) to resolution², normalised as CLIP's input. */
  private void sample(
      int image, double x0, double y0, double w, double h, boolean flip, float[] out, int offset) {
    int iw = images.width();
    int ih = images.height();
    byte[] px = images.pixels();
    int base = image * iw * ih;
    int n = resolution * resolution;
    for (int y = 0; y < resolution; y++) {
      double sy = y0 + (y + 0.5) * h / resolution - 0.5;
      for (int x = 0; x < resolution; x++) {
        int xs = flip ? resolution - 1 - x : x;
        double sx = x0 + (xs + 0.5) * w / resolution - 0.5;
        float v = (float) bilinear(px, base, iw, ih, sx, sy) / 255f;
        for (int c = 0; c < 3; c++) {
          out[offset + c * n + y * resolution + x] =
              (v - ImagePreprocessor.CLIP_MEAN[c]) / ImagePreprocessor.CLIP_STD[c];
        }
      }
    }
  }

  private static double bilinear(byte[] px, int base, int w, int h, double x, double y) {
    int x1 = (int) Math.floor(x);
    int y1 = (int) Math.floor(y);
    double fx = x - x1;
    double fy = y - y1;
    double a = at(px, base, w, h, x1, y1);
    double b = at(px, base, w, h, x1 + 1, y1);
    double c = at(px, base, w, h, x1, y1 + 1);
    double d = at(px, base, w, h, x1 + 1, y1 + 1);
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
  }

  private static int at(byte[] px, int base, int w, int h, int x, int y) {
    x = Math.max(0, Math.min(w - 1, x));
    y = Math.max(0, Math.min(h - 1, y));
    return px[base + y * w + x] & 0xff;
  }
}
