package io.github.dl4jinit.bench;

import io.github.dl4jinit.TorchInit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The configuration path of our schemes beside DL4J's own, in the same run.
 *
 * <ul>
 *   <li>{@code denseLayer}: one 4096×4096 Dense weight (16.8M params) filled through
 *       {@code IWeightInit.init}, exactly as DL4J's {@code DefaultParamInitializer} calls it.</li>
 *   <li>{@code network50M}: {@code new MultiLayerNetwork(conf).init()} of 3 × Dense 4096² + output
 *       (50.4M params), allocation included, as a user sees it.</li>
 * </ul>
 * Params/s = params / (ms/op). Run: {@code java -jar dl4j-init-tests/target/benchmarks.jar SchemeBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=3G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=6G"})
@State(Scope.Benchmark)
public class SchemeBenchmark {
    static final int N = 4096;

    @Param({"torchDefault", "kaimingNormal", "dl4jXavierUniform", "dl4jXavier"})
    public String scheme;

    private IWeightInit init;
    private INDArray flat;
    private MultiLayerConfiguration conf;

    static IWeightInit scheme(String name) {
        switch (name) {
            case "torchDefault":
                return TorchInit.torchDefault();
            case "kaimingNormal":
                return TorchInit.kaimingNormal(0, "fan_in", "relu");
            case "dl4jXavierUniform":
                return WeightInit.XAVIER_UNIFORM.getWeightInitFunction();
            case "dl4jXavier":
                return WeightInit.XAVIER.getWeightInitFunction();
            default:
                throw new IllegalArgumentException("unknown scheme " + name);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getRandom().setSeed(42);
        init = scheme(scheme);
        flat = Nd4j.create(DataType.FLOAT, 1, (long) N * N);
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).weightInit(init).list();
        for (int i = 0; i < 3; i++) {
            b.layer(new DenseLayer.Builder().nIn(N).nOut(N).activation(Activation.RELU).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(N).nOut(10)
                .activation(Activation.SOFTMAX).build());
        conf = b.build();
    }

    @Benchmark
    public INDArray denseLayer() {
        return init.init(N, N, new long[]{N, N}, 'f', flat);
    }

    @Benchmark
    public MultiLayerNetwork network50M() {
        MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
        net.init();
        return net;
    }
}
