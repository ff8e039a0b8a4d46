package dev.clipstream.jobs.cli;

import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.engine.ModelDevice;
import dev.clipstream.schemas.EventSchemas;
import dev.clipstream.schemas.wire.SchemaCatalog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clipstream info}: what this installation runs on and speaks. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Print the engine, device, threads, DJL cache and event schema fingerprints.")
final class InfoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin DeviceOptions model = new DeviceOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DjlRuntime.RuntimeInfo info = DjlRuntime.describe();
    out.printf("clipstream %s%n", VersionProvider.version());
    out.printf(
        "  engine      %s %s (DJL %s)%n", info.engine(), info.engineVersion(), info.djlVersion());
    out.printf("  device      %s (GPUs visible: %d)%n", info.device(), info.gpuCount());
    String resolved;
    try {
      resolved = ModelDevice.name(model.device().forSlot(0, info.gpuCount()));
    } catch (IllegalStateException e) {
      resolved = "unavailable: " + e.getMessage();
    }
    out.printf(
        "  model       device %s -> %s, precision %s (model.device/--device,"
            + " model.precision/--precision)%n",
        model.device(), resolved, model.precision());
    out.printf(
        "  threads     %d intra-op, %d inter-op%n", info.intraOpThreads(), info.interOpThreads());
    out.printf("  offline     %s%n", info.offline());
    out.printf(
        "  DJL cache   %s (natives unpacked under %s)%n", info.cacheDir(), info.engineCacheDir());
    out.printf(
        "  java        %s %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.version"));
    out.println("  schemas     (Avro single-object fingerprints, as on the wire)");
    for (Schema schema : EventSchemas.all()) {
      out.printf(
          "    %-12s %s%n", schema.getName(), SchemaCatalog.hex(SchemaCatalog.fingerprint(schema)));
    }
    out.flush();
    return 0;
  }
}
