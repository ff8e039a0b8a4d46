package dev.clipstream.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

/**
 * Every tensor attribute of a TorchScript archive's module tree, read from its {@code data.pkl} and
 * {@code data/} entries as data (no TorchScript code is loaded or run).
 *
 * <p>PyTorch's module API that DJL exposes lists parameters only; BatchNorm's {@code running_mean}
 * and {@code running_var} are buffers, which live in the same pickle as module attributes. The
 * pickle names each tensor's storage by key, dtype and element count, and rebuilds tensors with
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}.
 */
final class TorchScriptPickle {

  /** A storage class of the pickle ({@code torch.FloatStorage}, ...) and its element type. */
  private record StorageType(DType dtype) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      throw new PickleException("storage types are not called in a TorchScript pickle");
    }
  }

  private record Storage(StorageType type, String key) {}

  /** A tensor as the pickle describes it: a view into a storage. */
  record TensorRef(DType dtype, String key, long offset, long[] shape, long[] stride) {}

  static {
    register("FloatStorage", DType.F32);
    register("HalfStorage", DType.F16);
    register("BFloat16Storage", DType.BF16);
    register("DoubleStorage", DType.F64);
    register("LongStorage", DType.I64);
    register("IntStorage", DType.I32);
    register("ByteStorage", DType.U8);
    Unpickler.registerConstructor(
        "torch._utils", "_rebuild_tensor_v2", TorchScriptPickle::rebuildTensor);
    Unpickler.registerConstructor("collections", "OrderedDict", args -> new LinkedHashMap<>());
  }

  private static void register(String name, DType dtype) {
    Unpickler.registerConstructor("torch", name, new StorageType(dtype));
  }

  private final ZipFile zip;
  private final String root;

  private TorchScriptPickle(ZipFile zip, String root) {
    this.zip = zip;
    this.root = root;
  }

  /**
   * The values (widened to float) of the tensor attributes below the archive's module whose dotted
   * names {@code wanted} accepts; their shapes go to {@code shapesOut}.
   */
  static Map<String, float[]> tensors(
      Path archive, java.util.function.Predicate<String> wanted, Map<String, long[]> shapesOut)
      throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      ZipEntry data =
          zip.stream()
              .filter(
                  e ->
                      e.getName().endsWith("/data.pkl")
                          && e.getName().indexOf('/') == e.getName().lastIndexOf('/'))
              .findFirst()
              .orElseThrow(() -> new SafeTensorsFormatException(archive + " has no data.pkl"));
      String root = data.getName().substring(0, data.getName().indexOf('/'));
      Object module;
      try (InputStream in = zip.getInputStream(data)) {
        module = new StorageUnpickler().load(in);
      } catch (PickleException e) {
        throw new SafeTensorsFormatException(
            archive + ": data.pkl is not a TorchScript module pickle: " + e.getMessage(), e);
      }
      Map<String, TensorRef> refs = new LinkedHashMap<>();
      collect("", module, refs);
      TorchScriptPickle reader = new TorchScriptPickle(zip, root);
      Map<String, float[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
        if (!wanted.test(e.getKey())) {
          continue;
        }
        shapesOut.put(e.getKey(), e.getValue().shape());
        out.put(e.getKey(), reader.read(e.getKey(), e.getValue()));
      }
      return out;
    }
  }

  private static void collect(String prefix, Object node, Map<String, TensorRef> out) {
    if (node instanceof TensorRef tensor) {
      out.put(prefix, tensor);
    } else if (node instanceof ClassDict || node instanceof Map<?, ?>) {
      ((Map<?, ?>) node)
          .entrySet().stream()
              .filter(e -> e.getKey() instanceof String)
              .sorted(Map.Entry.comparingByKey((a, b) -> ((String) a).compareTo((String) b)))
              .forEach(
                  e ->
                      collect(
                          prefix.isEmpty() ? (String) e.getKey() : prefix + "." + e.getKey(),
                          e.getValue(),
                          out));
    }
  }

  private float[] read(String name, TensorRef ref) throws IOException {
    ZipEntry entry = zip.getEntry(root + "/data/" + ref.key());
    if (entry == null) {
      throw new SafeTensorsFormatException(
          "tensor '" + name + "' names storage " + ref.key() + ", which the archive lacks");
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readAllBytes();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long count = Arrays.stream(ref.shape()).reduce(1, Math::multiplyExact);
    float[] out = new float[Math.toIntExact(count)];
    int[] index = new int[ref.shape().length];
    int size = ref.dtype().bytes();
    for (int i = 0; i < out.length; i++) {
      long element = ref.offset();
      for (int axis = 0; axis < index.length; axis++) {
        element += index[axis] * ref.stride()[axis];
      }
      long at = element * size;
      if (at < 0 || at + size > bytes.length) {
        throw new SafeTensorsFormatException(
            "tensor '" + name + "' reaches past the end of its storage " + ref.key());
      }
      out[i] = value(buffer, (int) at, ref.dtype());
      for (int axis = index.length - 1; axis >= 0; axis--) {
        if (++index[axis] < ref.shape()[axis]) {
          break;
        }
        index[axis] = 0;
      }
    }
    return out;
  }

  private static float value(ByteBuffer buffer, int at, DType dtype) {
    return switch (dtype) {
      case F32 -> buffer.getFloat(at);
      case F16 -> HalfFloats.halfToFloat(buffer.getShort(at));
      case BF16 -> HalfFloats.bfloat16ToFloat(buffer.getShort(at));
      case F64 -> (float) buffer.getDouble(at);
      case I64 -> buffer.getLong(at);
      case I32 -> buffer.getInt(at);
      case U8 -> buffer.get(at) & 0xff;
      default -> throw new SafeTensorsFormatException("unsupported storage type " + dtype);
    };
  }

  private static Object rebuildTensor(Object[] args) {
    if (args.length < 4 || !(args[0] instanceof Storage storage)) {
      throw new PickleException("unexpected _rebuild_tensor_v2 arguments");
    }
    return new TensorRef(
        storage.type().dtype(),
        storage.key(),
        ((Number) args[1]).longValue(),
        longs(args[2]),
        longs(args[3]));
  }

  private static long[] longs(Object tuple) {
    Object[] items = (Object[]) tuple;
    long[] out = new long[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = ((Number) items[i]).longValue();
    }
    return out;
  }

  /** Resolves {@code ('storage', type, key, location, numel)} persistent ids to storages. */
  private static final class StorageUnpickler extends Unpickler {
    @Override
    protected Object persistentLoad(Object pid) {
      if (pid instanceof Object[] id
          && id.length >= 3
          && "storage".equals(id[0])
          && id[1] instanceof StorageType type) {
        return new Storage(type, String.valueOf(id[2]));
      }
      throw new PickleException("unknown persistent id " + Optional.ofNullable(pid));
    }
  }
}
