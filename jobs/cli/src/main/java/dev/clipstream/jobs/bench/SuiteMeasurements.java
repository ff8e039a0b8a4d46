package dev.clipstream.jobs.bench;

import dev.clipstream.model.ClipConfig;
import dev.clipstream.model.EncoderBenchmark;
import java.util.List;
import java.util.Map;

/**
 * What one {@link BenchmarkSuite} run measured, for its {@link BenchReport}.
 *
 * @param bare the served model's encoders at the pipeline's intra-op threads
 * @param bareAll the same at the engine's default threads
 * @param vit ViT-B/32's encoders (empty unless the plan asks for them)
 * @param decode decode + preprocess of the PNGs alone, images/s on one thread
 * @param sustained the pipeline's sustained run per batch size
 * @param half the pipeline at 50 % of that per batch size
 * @param loads the main batch size at 25, 50 and 90 % load
 * @param photos the real-size row (null unless the plan asks for it)
 */
record SuiteMeasurements(
    String engine,
    int allThreads,
    int pipelineThreads,
    ClipConfig config,
    double gflops,
    List<EncoderBenchmark.Row> bare,
    List<EncoderBenchmark.Row> bareAll,
    List<EncoderBenchmark.Row> vit,
    double decode,
    Map<Integer, PipelineBenchmark.Sustained> sustained,
    Map<Integer, PipelineBenchmark.Paced> half,
    List<PipelineBenchmark.Paced> loads,
    TrainingBenchmark.Result training,
    PhotoBenchmark.Result photos) {}
