package io.github.dl4jinit.bench;

import io.github.dl4jinit.torch.LoadReport;
import io.github.dl4jinit.torch.TorchStateDict;
import io.github.dl4jinit.twins.TorchvisionTwins;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Loading a trained torchvision resnet18's state_dict (44.7 MB of float32) into its DL4J twin:
 * {@code TorchStateDict.read(file).loadInto(net)}, header parsed and checked, file mapped, every
 * tensor copied into the network (the PyTorch side: {@code model.load_state_dict(torch.load(f))}).
 * {@code python/bench_state_dict.py} writes the file, times PyTorch and runs this in one command:
 *
 * <pre>
 * ./mvnw -B -q -pl dl4j-init-tests -am package -DskipTests
 * python dl4j-init-tests/python/bench_state_dict.py
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class StateDictBenchmark {
    /** The safetensors file of resnet18's state_dict (the script passes it with {@code -p file=...}). */
    @Param("")
    public String file;

    private Path path;
    private ComputationGraph net;

    @Setup
    public void setUp() {
        if (file.isEmpty()) {
            throw new IllegalStateException("run with -p file=<resnet18 safetensors>; python/bench_state_dict.py does");
        }
        path = Paths.get(file);
        net = TorchvisionTwins.resnet18(1000, 224).net();
    }

    /** {@code model.load_state_dict(load(file))}: read, check, map and copy every tensor. */
    @Benchmark
    public LoadReport readAndLoadInto() throws IOException {
        return TorchStateDict.read(path).loadInto(net);
    }
}
