package dev.clipstream.model.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import java.nio.file.Path;

/**
 * Starts DJL's PyTorch engine the way clipstream needs it: offline unless the user says otherwise.
 *
 * <p>The natives come from the {@code pytorch-native-cpu} jar on the class path, so no download is
 * ever needed; with {@code ai.djl.offline=true} DJL fails fast instead of reaching for the network
 * when something is missing. A user who wants DJL's own download (for example of a CUDA build) sets
 * {@code -Dai.djl.offline=false} or points {@code PYTORCH_LIBRARY_PATH} at a local libtorch.
 */
public final class DjlRuntime {

  /** DJL's switch for "never download anything". */
  public static final String OFFLINE_PROPERTY = "ai.djl.offline";

  /** The engine clipstream runs on. */
  public static final String ENGINE_NAME = "PyTorch";

  private DjlRuntime() {}

  /** Returns the PyTorch engine, having set offline mode first unless the user chose otherwise. */
  public static synchronized Engine engine() {
    preferOffline();
    return Engine.getEngine(ENGINE_NAME);
  }

  /** Sets {@code ai.djl.offline=true} if neither the system property nor the env says anything. */
  public static void preferOffline() {
    if (System.getProperty(OFFLINE_PROPERTY) == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty(OFFLINE_PROPERTY, "true");
    }
  }

  /** Starts the engine and describes it: name, version, device, threads and where DJL caches. */
  public static RuntimeInfo describe() {
    Engine engine = engine();
    Device device = engine.defaultDevice();
    return new RuntimeInfo(
        engine.getEngineName(),
        engine.getVersion(),
        Engine.getDjlVersion(),
        device.isGpu() ? "gpu:" + device.getDeviceId() : device.getDeviceType(),
        engine.getGpuCount(),
        ai.djl.pytorch.jni.JniUtils.getNumThreads(),
        ai.djl.pytorch.jni.JniUtils.getNumInteropThreads(),
        Utils.isOfflineMode(),
        Utils.getCacheDir(),
        Utils.getEngineCacheDir("pytorch"));
  }

  /** What {@link #describe()} found. */
  public record RuntimeInfo(
      String engine,
      String engineVersion,
      String djlVersion,
      String device,
      int gpuCount,
      int intraOpThreads,
      int interOpThreads,
      boolean offline,
      Path cacheDir,
      Path engineCacheDir) {

    /** One line for logs and the start banner. */
    public String oneLine() {
      return String.format(
          "engine %s %s (DJL %s), device %s, threads %d intra-op / %d inter-op, offline %s",
          engine, engineVersion, djlVersion, device, intraOpThreads, interOpThreads, offline);
    }
  }
}
