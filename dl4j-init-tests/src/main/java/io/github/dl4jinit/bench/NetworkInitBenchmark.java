package io.github.dl4jinit.bench;

import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.presets.TorchInitLoops;
import io.github.dl4jinit.sampling.TorchGenerator;
import io.github.dl4jinit.twins.TorchvisionTwins;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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

import java.util.concurrent.TimeUnit;

/**
 * Whole networks initialized as PyTorch initializes them, the Java half of
 * {@code python/bench_networks.py}, which times PyTorch on the same models and prints both:
 * <ul>
 *   <li>{@code mlp}: 3 × Linear(4096, 4096) + Linear(4096, 1000), 54.4 M parameters, PyTorch's
 *       {@code reset_parameters()} ({@code TorchDefaults});</li>
 *   <li>{@code resnet-like}: a stem and 25 residual blocks of two Conv2d(128, 128, 3) + BatchNorm2d,
 *       a Linear head, 7.4 M parameters, {@code reset_parameters()};</li>
 *   <li>{@code resnet18}: torchvision's resnet18 (11.7 M parameters), its whole init program: the
 *       default draws in construction order, then ResNet's {@code kaiming_normal_} loop in
 *       registration order, on one generator, as {@code torch.manual_seed(0); resnet18()}.</li>
 * </ul>
 * Exact mode draws PyTorch's bits from a {@link TorchGenerator}; fast mode draws from ND4J-seeded
 * samplers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class NetworkInitBenchmark {
    @Param({"mlp", "resnet-like", "resnet18"})
    public String model;

    private MultiLayerNetwork mlp;
    private ComputationGraph graph;
    private NetworkInitializer.Builder defaults;
    private NetworkInitializer.Builder loop;

    @Setup
    public void setUp() {
        defaults = TorchDefaults.initializer().toBuilder();
        switch (model) {
            case "mlp":
                mlp = mlp54m();
                break;
            case "resnet-like":
                graph = resnetLike();
                break;
            case "resnet18":
                TorchvisionTwins.Twin<ComputationGraph> twin = TorchvisionTwins.resnet18(1000, 224);
                graph = twin.net();
                defaults.constructionOrder(twin.constructionOrder().toArray(new String[0]));
                loop = NetworkInitializer.builder().rules(TorchInitLoops.torchvisionResNet())
                        .registrationOrder(twin.registrationOrder().toArray(new String[0]));
                break;
            default:
                throw new IllegalArgumentException("model: " + model);
        }
    }

    /** PyTorch's bits: {@code torch.manual_seed(0)}, then the model's construction (and init loop). */
    @Benchmark
    public InitializationReport exact() {
        TorchGenerator g = new TorchGenerator(0);
        InitializationReport r = run(defaults.generator(g).build());
        return loop == null ? r : loop.generator(g).build().initialize(graph);
    }

    /** The same distributions from ND4J-seeded samplers. */
    @Benchmark
    public InitializationReport fast() {
        InitializationReport r = run(defaults.nd4jRandom().build());
        return loop == null ? r : loop.nd4jRandom().build().initialize(graph);
    }

    private InitializationReport run(NetworkInitializer init) {
        return mlp != null ? init.initialize(mlp) : init.initialize(graph);
    }

    /** 3 × Dense 4096×4096 + Dense 4096→1000 output: 54.4 M parameters. */
    static MultiLayerNetwork mlp54m() {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        for (int i = 0; i < 3; i++) {
            b.layer(new DenseLayer.Builder().nIn(4096).nOut(4096).activation(Activation.RELU).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4096).nOut(1000)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork n = new MultiLayerNetwork(b.build());
        n.init();
        return n;
    }

    /** Stem conv, 25 residual blocks of two 3×3 conv(128) + BN, global pooling, Linear(128, 10): 51 convs. */
    static ComputationGraph resnetLike() {
        int c = 128;
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).nOut(c).activation(Activation.RELU).build(), "in");
        String prev = "stem";
        for (int i = 0; i < 25; i++) {
            String p = "b" + i;
            g.addLayer(p + "c1", new ConvolutionLayer.Builder(3, 3).nOut(c).activation(Activation.IDENTITY).build(), prev)
                    .addLayer(p + "bn1", new BatchNormalization.Builder().build(), p + "c1")
                    .addLayer(p + "r1", new ActivationLayer(Activation.RELU), p + "bn1")
                    .addLayer(p + "c2", new ConvolutionLayer.Builder(3, 3).nOut(c).activation(Activation.IDENTITY).build(), p + "r1")
                    .addLayer(p + "bn2", new BatchNormalization.Builder().build(), p + "c2")
                    .addVertex(p + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), p + "bn2", prev)
                    .addLayer(p + "out", new ActivationLayer(Activation.RELU), p + "add");
            prev = p + "out";
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev)
                .addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("fc").setInputTypes(InputType.convolutional(32, 32, 3));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }
}
