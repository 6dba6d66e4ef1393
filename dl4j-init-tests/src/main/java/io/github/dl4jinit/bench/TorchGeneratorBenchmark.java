package io.github.dl4jinit.bench;

import io.github.dl4jinit.TorchInit;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of PyTorch-exact fills on a 4096×4096 float tensor (16.8 M values), the size that
 * {@code python/bench_torch_rng.py} times for torch's own {@code uniform_}/{@code normal_}.
 * M values/s = 16.777216 / (ms per op).
 *
 * <pre>
 * mvn -pl dl4j-init-tests -am package -DskipTests
 * java -jar dl4j-init-tests/target/benchmarks.jar TorchGeneratorBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class TorchGeneratorBenchmark {
    private INDArray tensor;
    private TorchGenerator generator;

    @Setup(Level.Trial)
    public void setUp() {
        tensor = Nd4j.create(DataType.FLOAT, 4096, 4096);
        generator = new TorchGenerator(0);
    }

    /** {@code tensor.uniform_(-b, b)}. */
    @Benchmark
    public INDArray uniformFloat() {
        generator.uniform(tensor, -0.5, 0.5);
        return tensor;
    }

    /** {@code tensor.normal_(0, 1)}: serial uniforms, then 16-blocks transformed in parallel. */
    @Benchmark
    public INDArray normalFloat() {
        generator.normal(tensor, 0, 1);
        return tensor;
    }

    /** {@code nn.init.kaiming_uniform_(w, a=√5)}, nn.Linear's default, through the scheme. */
    @Benchmark
    public INDArray kaimingUniformScheme() {
        TorchInit.torchDefault().apply(tensor, generator);
        return tensor;
    }
}
