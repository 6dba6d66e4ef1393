package io.github.dl4jinit.init;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scheme survives DL4J's JSON and YAML configuration round trips and a ModelSerializer
 * save/restore: the restored configuration equals the original and the parameters are identical.
 */
class SerializationRoundTripTest {

    /** Every scheme, with non-default arguments where it has any, and whether it needs a conv weight. */
    static Stream<Arguments> schemes() {
        return Stream.of(
                Arguments.of(new TorchDefaultInit(), false),
                Arguments.of(new TorchDefaultBias(), false),
                Arguments.of(new Uniform(-0.25, 0.75), false),
                Arguments.of(new Normal(0.5, 0.125), false),
                Arguments.of(new TruncatedNormal(0.1, 0.3, -0.2, 0.6), false),
                Arguments.of(new Constant(0.3), false),
                Arguments.of(io.github.dl4jinit.TorchInit.ones(), false),
                Arguments.of(io.github.dl4jinit.TorchInit.zeros(), false),
                Arguments.of(new Eye(), false),
                Arguments.of(new Dirac(2), true),
                Arguments.of(new XavierUniform(5.0 / 3), false),
                Arguments.of(new XavierNormal(0.5), false),
                Arguments.of(new KaimingUniform(0.2, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU), false),
                Arguments.of(new KaimingNormal(0, FanMode.FAN_IN, Nonlinearity.RELU), false),
                Arguments.of(new Orthogonal(1.5), false),
                Arguments.of(new Orthogonal(2.0), true),
                Arguments.of(new Sparse(0.3, 0.02), false),
                Arguments.of(new LeCunUniform(), false),
                Arguments.of(new LeCunNormal(), false),
                Arguments.of(new VarianceScaling(1.3, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL), false),
                Arguments.of(new VarianceScaling(0.7, FanMode.FAN_OUT, Distribution.UNIFORM), true));
    }

    private static MultiLayerConfiguration conf(IWeightInit scheme, boolean conv) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(42).list();
        if (conv) {
            b.layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(4).activation(Activation.RELU)
                    .weightInit(scheme).build());
            b.setInputType(InputType.convolutional(6, 6, 2));
        } else {
            b.layer(new DenseLayer.Builder().nIn(12).nOut(9).activation(Activation.TANH).weightInit(scheme).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(conv ? 64 : 9).nOut(3)
                .activation(Activation.SOFTMAX).weightInit(scheme instanceof Dirac ? new Normal() : scheme).build());
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void jsonRoundTrip(IWeightInit scheme, boolean conv) {
        MultiLayerConfiguration conf = conf(scheme, conv);
        String json = conf.toJson();
        assertThat(json).contains(scheme.getClass().getName());
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertThat(restored).isEqualTo(conf);
        assertThat(restored.getConf(0).getLayer()).isEqualTo(conf.getConf(0).getLayer());
        IWeightInit back = ((org.deeplearning4j.nn.conf.layers.BaseLayer) restored.getConf(0).getLayer()).getWeightInitFn();
        assertThat(back).isEqualTo(scheme).hasSameHashCodeAs(scheme).isNotSameAs(scheme);
        assertThat(back.toString()).isEqualTo(scheme.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void yamlRoundTrip(IWeightInit scheme, boolean conv) {
        MultiLayerConfiguration conf = conf(scheme, conv);
        String yaml = conf.toYaml();
        assertThat(yaml).contains(scheme.getClass().getName());
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromYaml(yaml);
        assertThat(restored).isEqualTo(conf);
        IWeightInit back = ((org.deeplearning4j.nn.conf.layers.BaseLayer) restored.getConf(0).getLayer()).getWeightInitFn();
        assertThat(back).isEqualTo(scheme);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void modelSerializerRoundTrip(IWeightInit scheme, boolean conv) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(scheme, conv));
        net.init();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(net.getLayerWiseConfigurations());
        assertThat(restored.params().dataType()).isEqualTo(net.params().dataType());
        assertThat(restored.params().data().asFloat()).containsExactly(net.params().data().asFloat());
        // The restored configuration re-initializes with the same seed to the same parameters.
        MultiLayerNetwork again = new MultiLayerNetwork(restored.getLayerWiseConfigurations().clone());
        again.init();
        assertThat(again.params().data().asFloat()).containsExactly(net.params().data().asFloat());
    }
}
