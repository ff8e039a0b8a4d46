package dev.clipstream.jobs.tagging;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.DefaultModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.nio.file.Path;

/** The model a task manager serves, with its version and tokenizer; shared by its slots. */
public record ServingModel(ClipModel model, String version, ClipTokenizer tokenizer)
    implements AutoCloseable {

  /** Key and loader of the configured weights: empty means the embedded default model. */
  static ServingModel acquire(String weights) throws Exception {
    return SharedResources.acquire("model:" + weights, () -> load(weights));
  }

  static void release(String weights) throws Exception {
    SharedResources.release("model:" + weights);
  }

  private static ServingModel load(String weights) throws java.io.IOException {
    if (weights.isEmpty()) {
      return new ServingModel(DefaultModel.load(), DefaultModel.version(), ClipTokenizer.load());
    }
    Path path = Path.of(weights);
    return new ServingModel(
        ClipModel.load(path, LoadOptions.defaults()),
        path.getFileName().toString(),
        ClipTokenizer.load());
  }

  @Override
  public void close() {
    model.close();
  }
}
