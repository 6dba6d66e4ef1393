package io.github.dl4jinit.tests;

import io.github.dl4jinit.presets.TorchDefaults;
import io.github.dl4jinit.network.InitializationReport;
import io.github.dl4jinit.network.NetworkInitializer;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throughput of torchDefaults() (ND4J's generator) and torchDefaults(seed) (TorchGenerator, PyTorch's
 * bits) in parameters per second; {@code python/bench_network_init.py} times PyTorch's
 * {@code reset_parameters()} on the same two models. Run on demand:
 * {@code mvn -pl dl4j-init-tests -am test -Dtest=NetworkInitializerBenchmark -Dbench=true}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class NetworkInitializerBenchmark {
    private static final int REPS = 15;
    /**
     * Runs for this long (and at least 10 times) before timing, so that the JIT has compiled the Java
     * fills (JMH's practice; PyTorch's kernels are compiled ahead, and its script warms up as long).
     */
    private static final long WARMUP_NANOS = 5_000_000_000L;

    /** 3 × Dense 4096×4096 + Dense 4096→1000 output: 54.4M parameters. */
    static MultiLayerNetwork mlp50m() {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        b.layer(new DenseLayer.Builder().nIn(4096).nOut(4096).activation(Activation.RELU).build());
        b.layer(new DenseLayer.Builder().nIn(4096).nOut(4096).activation(Activation.RELU).build());
        b.layer(new DenseLayer.Builder().nIn(4096).nOut(4096).activation(Activation.RELU).build());
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4096).nOut(1000)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork n = new MultiLayerNetwork(b.build());
        n.init();
        return n;
    }

    /** Stem conv, 25 residual blocks of two 3x3 conv(128)+BN, global pooling, Linear(128, 10): 51 convs. */
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

    private static double rate(String what, long params, Supplier<InitializationReport> run) {
        long warmupStart = System.nanoTime();
        for (int i = 0; i < 10 || System.nanoTime() - warmupStart < WARMUP_NANOS; i++) {
            run.get();
        }
        double[] s = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long t0 = System.nanoTime();
            InitializationReport r = run.get();
            s[i] = (System.nanoTime() - t0) / 1e9;
            assertThat(r.parametersWritten()).isEqualTo(params);
        }
        Arrays.sort(s);
        double median = s[REPS / 2];
        System.out.printf("BENCH %-45s %,d params  median %.1f ms  best %.1f ms  %.0f M params/s (best %.0f)%n",
                what, params, median * 1e3, s[0] * 1e3, params / median / 1e6, params / s[0] / 1e6);
        return params / median;
    }

    @Test
    void throughput() {
        MultiLayerNetwork mlp = mlp50m();
        long n = mlp.numParams();
        assertThat(n).isGreaterThanOrEqualTo(50_000_000L);
        double fast = rate("MLP 3x4096^2+out torchDefaults()", n, () -> TorchDefaults.initializer().initialize(mlp));
        double exact = rate("MLP 3x4096^2+out torchDefaults(0)", n, () -> TorchDefaults.initializer(0).initialize(mlp));
        ComputationGraph g = resnetLike();
        long convs = Arrays.stream(g.getLayers()).filter(l -> l.conf().getLayer() instanceof ConvolutionLayer).count();
        assertThat(convs).isGreaterThanOrEqualTo(50);
        long gn = g.numParams();
        rate("ResNet-like (" + convs + " convs) torchDefaults()", gn, () -> TorchDefaults.initializer().initialize(g));
        rate("ResNet-like (" + convs + " convs) torchDefaults(0)", gn, () -> TorchDefaults.initializer(0).initialize(g));
        assertThat(fast).isPositive();
        assertThat(exact).isPositive();
    }
}
