package dev.clipstream.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.IncompatibleWeightsException;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.ModelDescription;
import dev.clipstream.model.WeightsManifest;
import dev.clipstream.model.checkpoint.Checkpoint.Layout;
import dev.clipstream.model.weights.SafeTensorsFile;
import dev.clipstream.model.weights.SafeTensorsSource;
import dev.clipstream.model.weights.TensorSource;
import dev.clipstream.model.weights.TorchScriptSource;
import dev.clipstream.model.weights.WeightsFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a checkpoint by what is on disk: a folder (Hugging Face or open_clip) or a file
 * (safetensors, or a TorchScript archive when allowed), and gathers its description.
 *
 * <p>The rule for the activation, which tensors cannot tell: it comes from the checkpoint's own
 * description (clipstream's safetensors metadata or manifest, Hugging Face's {@code config.json},
 * open_clip's {@code open_clip_config.json}, the classes in an OpenAI TorchScript archive's code)
 * or from the caller ({@link LoadOptions#activation()}, {@link LoadOptions#config()}); where two
 * sources disagree, or none says, loading is refused with what to pass.
 */
public final class Checkpoints {

  /** Hugging Face's file names in a saved {@code CLIPModel} folder. */
  static final String HF_CONFIG = "config.json";

  static final String HF_WEIGHTS = "model.safetensors";
  static final String HF_PICKLE = "pytorch_model.bin";

  /** open_clip's file names in a model folder (as its hub uploads are laid out). */
  static final String OPEN_CLIP_CONFIG = "open_clip_config.json";

  static final String OPEN_CLIP_WEIGHTS = "open_clip_model.safetensors";
  static final String OPEN_CLIP_PICKLE = "open_clip_pytorch_model.bin";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoints() {}

  /** Opens {@code path}; the caller closes the result. */
  public static Checkpoint open(Path path, LoadOptions options) throws IOException {
    ModelDescription stated = stated(path, options);
    if (Files.isDirectory(path)) {
      return openFolder(path, options, stated);
    }
    return switch (WeightsFormat.detect(path)) {
      case SAFETENSORS -> openSafeTensors(path, options, stated);
      case TORCHSCRIPT -> openTorchScript(path, options, stated);
      case PYTORCH_PICKLE ->
          throw new IncompatibleWeightsException(
              path
                  + " is a torch.save pickle, which Java cannot read safely: save its state_dict"
                  + " with safetensors.torch.save_file (or a transformers model with"
                  + " save_pretrained(dir, safe_serialization=True)) and load that");
      case UNKNOWN ->
          throw new IncompatibleWeightsException(
              path
                  + " is neither a safetensors file, a TorchScript archive nor a Hugging Face or"
                  + " open_clip folder");
    };
  }

  /** What the caller says: a description, a config file, an activation, in that order merged. */
  private static ModelDescription stated(Path path, LoadOptions options) throws IOException {
    ModelDescription stated = options.description().orElse(ModelDescription.none(path.toString()));
    if (options.config().isPresent()) {
      stated = stated.with(ConfigJson.read(options.config().get()));
    }
    if (options.activation().isPresent()) {
      stated =
          stated.with(ModelDescription.ofActivation(options.activation().get(), "--activation"));
    }
    return stated;
  }

  private static Checkpoint openFolder(Path dir, LoadOptions options, ModelDescription stated)
      throws IOException {
    Path hfConfig = dir.resolve(HF_CONFIG);
    if (Files.isRegularFile(dir.resolve(OPEN_CLIP_CONFIG))
        || Files.isRegularFile(dir.resolve(OPEN_CLIP_WEIGHTS))) {
      Path weights = dir.resolve(OPEN_CLIP_WEIGHTS);
      if (!Files.isRegularFile(weights)) {
        throw new IncompatibleWeightsException(
            dir
                + " has no "
                + OPEN_CLIP_WEIGHTS
                + (Files.exists(dir.resolve(OPEN_CLIP_PICKLE))
                    ? " (only the pickle "
                        + OPEN_CLIP_PICKLE
                        + ", which Java cannot read safely:"
                        + " convert it with safetensors.torch.save_file)"
                    : ""));
      }
      return openSafeTensors(weights, options, stated);
    }
    if (Files.isRegularFile(hfConfig)) {
      Path weights = dir.resolve(HF_WEIGHTS);
      if (!Files.isRegularFile(weights)) {
        throw new IncompatibleWeightsException(
            dir
                + " has no "
                + HF_WEIGHTS
                + (Files.exists(dir.resolve(HF_PICKLE))
                    ? ", only "
                        + HF_PICKLE
                        + ", a pickle Java cannot read safely: convert it with transformers,"
                        + " CLIPModel.from_pretrained(dir).save_pretrained(dir,"
                        + " safe_serialization=True), then load or convert the folder"
                    : ""));
      }
      return openSafeTensors(weights, options, stated);
    }
    throw new IncompatibleWeightsException(
        dir
            + " is a folder without "
            + HF_CONFIG
            + " (Hugging Face) or "
            + OPEN_CLIP_CONFIG
            + " (open_clip)");
  }

  private static Checkpoint openSafeTensors(Path file, LoadOptions options, ModelDescription stated)
      throws IOException {
    SafeTensorsFile safetensors = SafeTensorsFile.read(file);
    TensorSource tensors = new SafeTensorsSource(safetensors, file.toString());
    if (HuggingFaceTensors.looksLikeHuggingFace(tensors.shapes())) {
      Path config = file.resolveSibling(HF_CONFIG);
      ModelDescription own =
          Files.isRegularFile(config) ? ConfigJson.read(config) : ModelDescription.none("");
      if (own.isEmpty() && options.config().isEmpty()) {
        throw new IncompatibleWeightsException(
            file + " is in Hugging Face's layout but has no " + HF_CONFIG + " beside it");
      }
      return new Checkpoint(
          new HuggingFaceTensors(tensors), merge(stated, own), Layout.HUGGING_FACE);
    }
    ModelDescription own = ModelDescription.none(file.toString());
    Layout layout = Layout.OPENAI_SAFETENSORS;
    String metadata = safetensors.metadata().get(WeightsManifest.METADATA_KEY);
    if (metadata != null) {
      own = own.with(ModelDescription.of(metadataConfig(file, metadata), file + "'s metadata"));
    }
    var manifest = WeightsManifest.describe(file);
    if (manifest.isPresent()) {
      own = own.with(manifest.get());
    }
    Path openClip = file.resolveSibling(OPEN_CLIP_CONFIG);
    if (Files.isRegularFile(openClip)) {
      own = own.with(ConfigJson.read(openClip));
      layout = Layout.OPEN_CLIP;
    }
    return new Checkpoint(tensors, merge(stated, own), layout);
  }

  private static Checkpoint openTorchScript(
      Path archive, LoadOptions options, ModelDescription stated) throws IOException {
    if (!options.allowTorchScript()) {
      throw new SecurityException(
          archive
              + " is a TorchScript archive, which can run code when loaded; if you trust where it"
              + " came from, convert it once: clipstream model convert --from openai-pt "
              + archive
              + " --out "
              + archive.resolveSibling(stem(archive) + ".safetensors"));
    }
    ModelDescription own =
        TorchScriptActivation.read(archive)
            .map(a -> ModelDescription.ofActivation(a, archive + "'s code"))
            .orElse(ModelDescription.none(archive.toString()));
    TensorSource tensors = TorchScriptSource.open(archive);
    try {
      return new Checkpoint(tensors, merge(stated, own), Layout.OPENAI_TORCHSCRIPT);
    } catch (RuntimeException e) {
      tensors.close();
      throw e;
    }
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static ModelDescription merge(ModelDescription stated, ModelDescription own) {
    if (own.isEmpty()) {
      return stated;
    }
    return stated.isEmpty() ? own : stated.with(own);
  }

  private static ClipConfig metadataConfig(Path file, String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return JSON.treeToValue(node, ClipConfig.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IncompatibleWeightsException(
          file
              + ": metadata "
              + WeightsManifest.METADATA_KEY
              + " is not a valid configuration: "
              + String.valueOf(e.getMessage()).split("\\n")[0]);
    }
  }
}
