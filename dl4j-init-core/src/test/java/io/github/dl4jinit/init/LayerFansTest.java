package io.github.dl4jinit.init;

import io.github.dl4jinit.sampling.Sampler;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fans the configuration path uses, for each DL4J layer built in a real network, equal
 * PyTorch's for the twin module. PyTorch's values below are computed by hand from
 * {@code _calculate_fan_in_and_fan_out}: fan_in = size(1)·∏k, fan_out = size(0)·∏k on the twin's
 * weight shape.
 */
class LayerFansTest {

    /** One call of the fill routine: PyTorch's shape and the fans it was given. */
    static final class Call {
        final List<Long> torchShape;
        final Fans fans;

        Call(long[] torchShape, Fans fans) {
            List<Long> s = new ArrayList<>();
            for (long d : torchShape) {
                s.add(d);
            }
            this.torchShape = s;
            this.fans = fans;
        }

        @Override
        public String toString() {
            return torchShape + " " + fans;
        }
    }

    /** Records every fill (static, because DL4J may clone configurations) and writes zeros. */
    public static final class RecordingInit extends TorchWeightInit {
        static final List<Call> CALLS = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void sample(INDArray torchTensor, Fans fans, Sampler sampler) {
            CALLS.add(new Call(torchTensor.shape(), fans));
            torchTensor.assign(0);
        }

        @Override
        protected Map<String, Object> parameters() {
            return Collections.emptyMap();
        }
    }

    @BeforeEach
    void clear() {
        RecordingInit.CALLS.clear();
    }

    private static List<Call> fill(InputType input, Layer layer, Layer output) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(layer).layer(output).setInputType(input).build();
        new MultiLayerNetwork(conf).init();
        return new ArrayList<>(RecordingInit.CALLS);
    }

    private static OutputLayer out() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build();
    }

    private static RnnOutputLayer rnnOut() {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build();
    }

    private static void assertCall(Call c, long[] torchShape, double fanIn, double fanOut) {
        long[] shape = c.torchShape.stream().mapToLong(Long::longValue).toArray();
        assertThat(shape).as("PyTorch shape of %s", c).containsExactly(torchShape);
        assertThat(c.fans.fanIn()).as("fan_in of %s", c).isEqualTo(fanIn);
        assertThat(c.fans.fanOut()).as("fan_out of %s", c).isEqualTo(fanOut);
    }

    // Table: DL4J layer | PyTorch twin | twin weight shape | fan_in | fan_out

    @Test
    void dense() {
        // DenseLayer(nIn 7, nOut 5) | nn.Linear(7, 5) | (5, 7) | 7 | 5
        List<Call> calls = fill(InputType.feedForward(7),
                new DenseLayer.Builder().nIn(7).nOut(5).weightInit(new RecordingInit()).build(), out());
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{5, 7}, 7, 5);
    }

    @Test
    void output() {
        // OutputLayer(nIn 6, nOut 3) | nn.Linear(6, 3) | (3, 6) | 6 | 3
        List<Call> calls = fill(InputType.feedForward(6), new DenseLayer.Builder().nOut(6).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3).weightInit(new RecordingInit()).build());
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{3, 6}, 6, 3);
    }

    @Test
    void convolution1D() {
        // Convolution1DLayer(nIn 3, nOut 4, k 5, stride 2) | nn.Conv1d(3, 4, 5, stride=2) | (4, 3, 5) | 15 | 20
        // DL4J stores [4, 3, 5, 1], which PyTorch would read as Conv2d (4, 3, 5, 1): the same fans.
        List<Call> calls = fill(InputType.recurrent(3, 20),
                new Convolution1DLayer.Builder(5).stride(2).nIn(3).nOut(4).weightInit(new RecordingInit()).build(), rnnOut());
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{4, 3, 5, 1}, 15, 20);
    }

    @Test
    void convolution2DWithStride2() {
        // ConvolutionLayer(nIn 3, nOut 8, k 3x3, stride 2) | nn.Conv2d(3, 8, 3, stride=2) | (8, 3, 3, 3) | 27 | 72
        // (DL4J itself passes fan_out 72 / 4 = 18: PyTorch's fan ignores the stride.)
        List<Call> calls = fill(InputType.convolutional(9, 9, 3),
                new ConvolutionLayer.Builder(3, 3).stride(2, 2).nIn(3).nOut(8).weightInit(new RecordingInit()).build(), out());
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{8, 3, 3, 3}, 27, 72);
    }

    @Test
    void convolution2DNonSquare() {
        // ConvolutionLayer(nIn 2, nOut 5, k 3x2) | nn.Conv2d(2, 5, (3, 2)) | (5, 2, 3, 2) | 12 | 30
        List<Call> calls = fill(InputType.convolutional(9, 9, 2),
                new ConvolutionLayer.Builder(3, 2).nIn(2).nOut(5).weightInit(new RecordingInit()).build(), out());
        assertCall(calls.get(0), new long[]{5, 2, 3, 2}, 12, 30);
    }

    @Test
    void convolution3D() {
        // Convolution3D(nIn 2, nOut 4, k 2x3x3) | nn.Conv3d(2, 4, (2, 3, 3)) | (4, 2, 2, 3, 3) | 36 | 72
        List<Call> calls = fill(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 5, 6, 6, 2),
                new Convolution3D.Builder().kernelSize(2, 3, 3).nIn(2).nOut(4).weightInit(new RecordingInit()).build(), out());
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{4, 2, 2, 3, 3}, 36, 72);
    }

    @Test
    void deconvolution2D() {
        // Deconvolution2D(nIn 3, nOut 6, k 3x3) | nn.ConvTranspose2d(3, 6, 3) | (3, 6, 3, 3) | 6·9 = 54 | 3·9 = 27
        // PyTorch reads fan_in from size(1) = out/groups: a quirk that parity keeps.
        List<Call> calls = fill(InputType.convolutional(5, 5, 3),
                new Deconvolution2D.Builder().kernelSize(3, 3).nIn(3).nOut(6).weightInit(new RecordingInit()).build(), out());
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{3, 6, 3, 3}, 54, 27);
    }

    @Test
    void deconvolution3D() {
        // Deconvolution3D(nIn 2, nOut 3, k 2x2x2) | nn.ConvTranspose3d(2, 3, 2) | (2, 3, 2, 2, 2) | 3·8 = 24 | 2·8 = 16
        // DL4J stores [kD, kH, kW, nOut, nIn] = [2, 2, 2, 3, 2]; the layout permutes it to PyTorch's.
        List<Call> calls = fill(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 4, 4, 4, 2),
                new Deconvolution3D.Builder().kernelSize(2, 2, 2).nIn(2).nOut(3).weightInit(new RecordingInit()).build(), out());
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{2, 3, 2, 2, 2}, 24, 16);
    }

    @Test
    void depthwiseConvolution2D() {
        // DepthwiseConvolution2D(nIn 3, multiplier 2, k 3x3) | nn.Conv2d(3, 6, 3, groups=3) | (6, 1, 3, 3) | 9 | 54
        List<Call> calls = fill(InputType.convolutional(7, 7, 3),
                new DepthwiseConvolution2D.Builder().kernelSize(3, 3).nIn(3).depthMultiplier(2)
                        .weightInit(new RecordingInit()).build(), out());
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{6, 1, 3, 3}, 9, 54);
    }

    @Test
    void depthwiseConvolution2DNonSquareKernel() {
        // DepthwiseConvolution2D(nIn 4, multiplier 1, k 3x2) | nn.Conv2d(4, 4, (3, 2), groups=4) | (4, 1, 3, 2) | 6 | 24
        List<Call> calls = fill(InputType.convolutional(7, 7, 4),
                new DepthwiseConvolution2D.Builder().kernelSize(3, 2).nIn(4).depthMultiplier(1)
                        .weightInit(new RecordingInit()).build(), out());
        assertCall(calls.get(0), new long[]{4, 1, 3, 2}, 6, 24);
    }

    @Test
    void depthwiseIsAmbiguousWhenTheMultiplierEqualsTheKernelSize() {
        // Documented limitation: W [kH, kW, nIn, m] with m == kH (and kW) has DL4J's fan_in
        // nIn·kH·kW = ∏shape[1:], exactly what a regular conv weight passes, so the configuration
        // path reads it as a conv [nOut=kH, nIn=kW, kH=nIn, kW=m]. Here [3, 3, 2, 3]:
        // fan_in = 3·2·3 = 18 (PyTorch: 9), fan_out = 3·2·3 = 18 (PyTorch: 54).
        // NetworkInitializer-style callers pass TorchLayout.depthwise(...) and get PyTorch's fans.
        List<Call> calls = fill(InputType.convolutional(7, 7, 2),
                new DepthwiseConvolution2D.Builder().kernelSize(3, 3).nIn(2).depthMultiplier(3)
                        .weightInit(new RecordingInit()).build(), out());
        assertCall(calls.get(0), new long[]{3, 3, 2, 3}, 18, 18);
        assertThat(TorchLayout.depthwise(3, 3, 2, 3).fans()).isEqualTo(Fans.of(9, 54));
    }

    @Test
    void convolution1DIsAmbiguousWhenNOutEqualsTheKernelSize() {
        // Documented limitation: Conv1D W [nOut, nIn, k, 1] with nOut == k has DL4J's fan_in nIn·k²
        // = shape[0]·shape[1]·shape[2], what a DepthwiseConvolution2D [kH, kW, nIn, 1] passes, and
        // depthwise is checked first. Conv1d(2, 3, 3): [3, 2, 3, 1] is read as depthwise
        // (3, 1, 3, 2): fan_in 6 (PyTorch: 6), fan_out 18 (PyTorch: 9).
        List<Call> calls = fill(InputType.recurrent(2, 20),
                new Convolution1DLayer.Builder(3).nIn(2).nOut(3).weightInit(new RecordingInit()).build(), rnnOut());
        assertCall(calls.get(0), new long[]{3, 1, 3, 2}, 6, 18);
        assertThat(TorchLayout.conv(3, 2, 3, 1).fans()).isEqualTo(Fans.of(6, 9));
    }

    @Test
    void deconvolution2DWithStrideAndEqualChannels() {
        // Deconvolution2D(nIn 4, nOut 4, k 2x2, stride 2) | nn.ConvTranspose2d(4, 4, 2, stride=2) | (4, 4, 2, 2) | 16 | 16
        List<Call> calls = fill(InputType.convolutional(5, 5, 4),
                new Deconvolution2D.Builder().kernelSize(2, 2).stride(2, 2).nIn(4).nOut(4)
                        .weightInit(new RecordingInit()).build(), out());
        assertCall(calls.get(0), new long[]{4, 4, 2, 2}, 16, 16);
    }

    @Test
    void separableConvolution2D() {
        // SeparableConvolution2D(nIn 3, nOut 8, multiplier 2, k 3x3) | depthwise nn.Conv2d(3, 6, 3, groups=3)
        // then pointwise nn.Conv2d(6, 8, 1).
        //   depthwise W [2, 3, 3, 3] | (6, 1, 3, 3) | 9 | 54
        //   pointwise pW [8, 6, 1, 1] | (8, 6, 1, 1) | 6 | 8
        List<Call> calls = fill(InputType.convolutional(7, 7, 3),
                new SeparableConvolution2D.Builder(3, 3).nIn(3).nOut(8).depthMultiplier(2)
                        .weightInit(new RecordingInit()).build(), out());
        assertThat(calls).hasSize(2);
        Call depthwise = calls.stream().filter(c -> c.torchShape.get(2) == 3).findFirst().orElseThrow(AssertionError::new);
        Call pointwise = calls.stream().filter(c -> c.torchShape.get(2) == 1).findFirst().orElseThrow(AssertionError::new);
        assertCall(pointwise, new long[]{8, 6, 1, 1}, 6, 8);
        // Documented limitation: DL4J hands the depthwise weight [m, nIn, kH, kW] with the fans of a
        // regular conv (fan_in nIn·kH·kW), so the configuration path cannot tell it from a conv and
        // uses the conv fans of that shape: fan_in 3·3·3 = 27, fan_out 2·3·3 = 18 (PyTorch: 9, 54).
        assertCall(depthwise, new long[]{2, 3, 3, 3}, 27, 18);
        // With the layout known, the fans are PyTorch's.
        TorchLayout explicit = TorchLayout.separableDepthwise(2, 3, 3, 3);
        assertThat(explicit.torchShape()).containsExactly(6, 1, 3, 3);
        assertThat(explicit.fans()).isEqualTo(Fans.of(9, 54));
    }

    @Test
    void lstm() {
        // LSTM(nIn 5, nOut 7) | nn.LSTM(5, 7)
        //   W [5, 28] f  | weight_ih_l0 (28, 5) | 5 | 28
        //   RW [7, 28] f | weight_hh_l0 (28, 7) | 7 | 28
        List<Call> calls = fill(InputType.recurrent(5),
                new LSTM.Builder().nIn(5).nOut(7).weightInit(new RecordingInit()).build(), rnnOut());
        assertThat(calls).hasSize(2);
        assertCall(calls.get(0), new long[]{28, 5}, 5, 28);
        assertCall(calls.get(1), new long[]{28, 7}, 7, 28);
    }

    @Test
    void lstmWithOneUnit() {
        // LSTM(nIn 5, nOut 1) | nn.LSTM(5, 1): DL4J passes fanIn = nOut = 1 (as Embedding does), but
        // fanOut = nIn + nOut = 6 ≠ 4 tells it apart.
        //   W [5, 4] f | weight_ih_l0 (4, 5) | 5 | 4
        //   RW [1, 4] f | weight_hh_l0 (4, 1) | 1 | 4
        List<Call> calls = fill(InputType.recurrent(5),
                new LSTM.Builder().nIn(5).nOut(1).weightInit(new RecordingInit()).build(), rnnOut());
        assertThat(calls).hasSize(2);
        assertCall(calls.get(0), new long[]{4, 5}, 5, 4);
        assertCall(calls.get(1), new long[]{4, 1}, 1, 4);
    }

    @Test
    void simpleRnn() {
        // SimpleRnn(nIn 4, nOut 6) | nn.RNN(4, 6)
        //   W [4, 6] f  | weight_ih_l0 (6, 4) | 4 | 6
        //   RW [6, 6] f | weight_hh_l0 (6, 6) | 6 | 6
        List<Call> calls = fill(InputType.recurrent(4),
                new SimpleRnn.Builder().nIn(4).nOut(6).weightInit(new RecordingInit()).build(), rnnOut());
        assertThat(calls).hasSize(2);
        assertCall(calls.get(0), new long[]{6, 4}, 4, 6);
        assertCall(calls.get(1), new long[]{6, 6}, 6, 6);
    }

    @Test
    void embedding() {
        // EmbeddingLayer(nIn 10 = vocab, nOut 4) | nn.Embedding(10, 4) | (10, 4) | 4 | 10
        // (DL4J passes fan_in 1; PyTorch's rule on (num_embeddings, dim) gives fan_in = dim.)
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new EmbeddingLayer.Builder().nIn(10).nOut(4).weightInit(new RecordingInit()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY).build())
                .build();
        new MultiLayerNetwork(conf).init();
        List<Call> calls = new ArrayList<>(RecordingInit.CALLS);
        assertThat(calls).hasSize(1);
        assertCall(calls.get(0), new long[]{10, 4}, 4, 10);
    }

    @Test
    void embeddingSequence() {
        // EmbeddingSequenceLayer(vocab 12, nOut 3) | nn.Embedding(12, 3) | (12, 3) | 3 | 12
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(12).nOut(3).inputLength(4)
                        .weightInit(new RecordingInit()).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build();
        new MultiLayerNetwork(conf).init();
        assertThat(RecordingInit.CALLS).hasSize(1);
        assertCall(RecordingInit.CALLS.get(0), new long[]{12, 3}, 3, 12);
    }

    @Test
    void fansReachTheDistribution() {
        // End to end: Conv2d(3, 8, 3, stride 2) with xavier_uniform has bound √(6 / (27 + 72)),
        // not DL4J's stride-divided √(6 / (27 + 18)).
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nIn(3).nOut(8).weightInit(new XavierUniform()).build())
                .layer(out()).setInputType(InputType.convolutional(9, 9, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray w = net.getLayer(0).getParam("W");
        double bound = Math.sqrt(6.0 / (27 + 72));
        assertThat(w.amaxNumber().doubleValue()).isLessThanOrEqualTo(bound).isGreaterThan(0.8 * bound);
    }
}
