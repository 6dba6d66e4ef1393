package io.github.dl4jinit.bench;

import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.presets.TorchInitLoops;
import io.github.dl4jinit.sampling.TorchGenerator;
import io.github.dl4jinit.twins.TorchvisionTwins;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * torchvision resnet18's whole init program on its DL4J twin (11.7 M parameters): the default draws
 * in construction order, then ResNet's {@code kaiming_normal_} loop in registration order, on one
 * {@link TorchGenerator} — what {@code torch.manual_seed(0); resnet18()} draws.
 * {@code python/bench_init_program.py} times PyTorch and runs this in the same command:
 *
 * <pre>
 * ./mvnw -B -q -pl dl4j-init-tests -am package -DskipTests
 * python dl4j-init-tests/python/bench_init_program.py
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class InitProgramBenchmark {
    private ComputationGraph net;
    private NetworkInitializer.Builder defaults;
    private NetworkInitializer.Builder loop;

    @Setup
    public void setUp() {
        TorchvisionTwins.Twin<ComputationGraph> twin = TorchvisionTwins.resnet18(1000, 224);
        net = twin.net();
        defaults = TorchDefaults.initializer().toBuilder()
                .constructionOrder(twin.constructionOrder().toArray(new String[0]));
        loop = NetworkInitializer.builder().rules(TorchInitLoops.torchvisionResNet())
                .registrationOrder(twin.registrationOrder().toArray(new String[0]));
    }

    /** {@code torch.manual_seed(0); resnet18()}'s draws, bit for bit. */
    @Benchmark
    public InitializationReport resnet18ProgramExact() {
        TorchGenerator g = new TorchGenerator(0);
        defaults.generator(g).build().initialize(net);
        return loop.generator(g).build().initialize(net);
    }

    /** The same program from ND4J-seeded samplers: PyTorch's distributions, not its bits. */
    @Benchmark
    public InitializationReport resnet18ProgramFast() {
        defaults.nd4jRandom().build().initialize(net);
        return loop.nd4jRandom().build().initialize(net);
    }
}
