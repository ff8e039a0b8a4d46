package dev.clipstream.jobs.cli;

import dev.clipstream.model.data.LabelledSource;
import dev.clipstream.model.preprocess.DecodeOutcome;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImageDecoder;
import dev.clipstream.model.preprocess.PreprocessOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A folder of image files labelled by a CSV of "file name,label" lines, decoded on demand. */
record FolderImages(Path dir, List<String> files, List<String> labels) implements LabelledSource {

  static FolderImages read(Path dir, Path labelsFile) throws IOException {
    if (labelsFile == null) {
      throw new UserError("--images needs --labels-file");
    }
    if (!Files.isDirectory(dir)) {
      throw new UserError(dir + ": no such directory");
    }
    List<String> files = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(CliFiles.readable(labelsFile))) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int comma = line.indexOf(',');
      if (comma < 1) {
        throw new UserError(labelsFile + " line " + n + ": expected 'file name,label'");
      }
      files.add(line.substring(0, comma).strip());
      labels.add(line.substring(comma + 1).strip());
    }
    return new FolderImages(dir, files, labels);
  }

  @Override
  public int count() {
    return files.size();
  }

  @Override
  public String label(int i) {
    return labels.get(i);
  }

  @Override
  public DecodedImage pixels(int i) {
    Path file = dir.resolve(files.get(i));
    try {
      DecodeOutcome outcome =
          new ImageDecoder(
                  PreprocessOptions.DEFAULT_MAX_PIXELS, PreprocessOptions.DEFAULT_MAX_BYTES)
              .decode(Files.readAllBytes(CliFiles.readable(file)));
      if (outcome instanceof DecodeOutcome.Rejected r) {
        throw new UserError(file + ": " + r.message());
      }
      return ((DecodeOutcome.Decoded) outcome).image();
    } catch (IOException e) {
      throw new UserError(file + ": " + e.getMessage());
    }
  }

  /** The distinct labels in order of first appearance. */
  List<String> classes() {
    return labels.stream().distinct().toList();
  }
}
