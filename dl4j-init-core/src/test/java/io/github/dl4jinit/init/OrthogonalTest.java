package io.github.dl4jinit.init;

import io.github.dl4jinit.sampling.FastSampler;
import io.github.dl4jinit.sampling.Sampler;
import io.github.dl4jinit.sampling.TorchGenerator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * orthogonal_: the PyTorch-shaped weight flattened to (size(0), numel/size(0)) has orthonormal rows
 * (W·Wᵀ = gain²·I when wide or square) or orthonormal columns (Wᵀ·W = gain²·I when tall), within
 * 1e-5, for square, tall, wide and conv shapes and both samplers.
 */
class OrthogonalTest {
    private static final double TOL = 1e-5;

    static Stream<Arguments> shapes() {
        long[][] shapes = {{64, 64}, {100, 30}, {30, 100}, {1, 7}, {7, 1}, {16, 3, 3, 3}, {64, 2, 3, 3}, {8, 4, 5},
            {6, 2, 2, 2, 2}, {300, 100}, {100, 300}, {256, 256}, {64, 32, 3, 3}, {128, 16, 2, 2}};
        List<Arguments> all = new ArrayList<>();
        for (long[] s : shapes) {
            for (boolean torch : new boolean[]{false, true}) {
                for (double gain : new double[]{1.0, 2.5}) {
                    all.add(Arguments.of(s, torch, gain));
                }
            }
        }
        return all.stream();
    }

    /** max |G − gain²·I| where G is the Gram matrix of the shorter side of W flattened to 2-D. */
    static double deviation(INDArray torchShaped, double gain) {
        long rows = torchShaped.size(0);
        long cols = torchShaped.length() / rows;
        INDArray m = torchShaped.castTo(DataType.DOUBLE).dup('c').reshape('c', rows, cols);
        INDArray gram = rows <= cols ? m.mmul(m.transpose()) : m.transpose().mmul(m);
        INDArray expected = Nd4j.eye(gram.size(0)).castTo(DataType.DOUBLE).muli(gain * gain);
        return Transforms.abs(gram.sub(expected)).maxNumber().doubleValue();
    }

    /** Local alias to keep the imports short. */
    private static final class Transforms {
        static INDArray abs(INDArray a) {
            return org.nd4j.linalg.ops.transforms.Transforms.abs(a, false);
        }
    }

    @ParameterizedTest(name = "{0} torch={1} gain={2}")
    @MethodSource("shapes")
    void orthonormal(long[] shape, boolean torch, double gain) {
        Sampler sampler;
        if (torch) {
            sampler = new TorchGenerator(123);
        } else {
            Nd4j.getRandom().setSeed(123);
            sampler = FastSampler.get();
        }
        INDArray w = Nd4j.create(DataType.FLOAT, shape, 'c');
        new Orthogonal(gain).apply(w, sampler);
        // Float rounding of entries ≤ 1 gives Gram errors of order √cols·6e-8 ≪ 1e-5.
        assertThat(deviation(w, gain) / (gain * gain)).isLessThan(TOL);
        assertThat(w.amaxNumber().doubleValue()).isPositive();
    }

    /** Double tensors factor in double: orthonormal to rounding of doubles. */
    @ParameterizedTest(name = "{0} torch={1} gain={2}")
    @MethodSource("shapes")
    void orthonormalInDouble(long[] shape, boolean torch, double gain) {
        Sampler sampler = torch ? new TorchGenerator(321) : FastSampler.get();
        Nd4j.getRandom().setSeed(321);
        INDArray w = Nd4j.create(DataType.DOUBLE, shape, 'c');
        new Orthogonal(gain).apply(w, sampler);
        assertThat(deviation(w, gain) / (gain * gain)).isLessThan(1e-12);
    }

    /** Half precision goes through a float QR and is rounded: orthonormal to half's rounding (2^-11). */
    @ParameterizedTest
    @ValueSource(strings = {"HALF", "BFLOAT16"})
    void orthonormalInHalfPrecision(String type) {
        INDArray w = Nd4j.create(DataType.valueOf(type), new long[]{40, 24}, 'c');
        new Orthogonal().apply(w, new TorchGenerator(5));
        double unit = type.equals("HALF") ? 0x1p-11 : 0x1p-8;
        assertThat(deviation(w, 1)).isLessThan(40 * unit);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void orthonormalInANetwork(boolean sameSize) {
        // Config path: Dense W [nIn, nOut] f is PyTorch's (nOut, nIn): rows = nOut.
        int nOut = sameSize ? 20 : 12;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(9).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(8).weightInit(new Orthogonal()).build())
                .layer(new DenseLayer.Builder().nOut(20).activation(Activation.TANH).weightInit(new Orthogonal(2)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(nOut).activation(Activation.IDENTITY)
                        .weightInit(new Orthogonal()).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray conv = net.getLayer(0).getParam("W");          // (8, 2, 3, 3): 8 × 18, wide
        assertThat(deviation(conv, 1)).isLessThan(TOL);
        INDArray dense = net.getLayer(1).getParam("W");         // [72, 20] f = (20, 72): wide
        assertThat(deviation(dense.transpose(), 2) / 4).isLessThan(TOL);
        INDArray out = net.getLayer(2).getParam("W");           // [20, nOut] f = (nOut, 20)
        assertThat(deviation(out.transpose(), 1)).isLessThan(TOL);
    }
}
