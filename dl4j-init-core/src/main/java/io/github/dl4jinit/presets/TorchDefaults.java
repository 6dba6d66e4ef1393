package io.github.dl4jinit.presets;

import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.Normal;
import io.github.dl4jinit.init.TorchDefaultBias;
import io.github.dl4jinit.init.TorchDefaultInit;
import io.github.dl4jinit.init.Uniform;
import io.github.dl4jinit.init.XavierUniform;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.network.Rule;
import io.github.dl4jinit.network.SchemeChoice;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;

import java.util.List;

/**
 * PyTorch's {@code reset_parameters()} (torch 2.13) for every DL4J layer with a PyTorch twin,
 * expressed as {@link NetworkInitializer} rules, and the initializers that apply them.
 *
 * <table>
 *   <caption>PyTorch's defaults</caption>
 *   <tr><th>DL4J layer</th><th>PyTorch</th><th>weights</th><th>bias</th></tr>
 *   <tr><td>DenseLayer, OutputLayer (any BaseOutputLayer)</td><td>Linear</td>
 *       <td>kaiming_uniform_(a=√5) = U(±1/√fan_in)</td><td>U(±1/√fan_in)</td></tr>
 *   <tr><td>Convolution1D/2D/3D, Depthwise, Separable (depthwise and pointwise)</td><td>ConvNd(groups)</td>
 *       <td>U(±1/√(in/groups·∏k))</td><td>same bound</td></tr>
 *   <tr><td>Deconvolution2D/3D</td><td>ConvTransposeNd</td><td>U(±1/√(out·∏k)) (PyTorch's fan quirk)</td><td>same bound</td></tr>
 *   <tr><td>LSTM, GravesLSTM, SimpleRnn</td><td>LSTM, RNN</td><td colspan="2">every parameter U(±1/√hidden);
 *       DL4J's bias = b_ih + b_hh; no forget-gate 1.0; GravesLSTM's peepholes get the same rule</td></tr>
 *   <tr><td>EmbeddingLayer, EmbeddingSequenceLayer</td><td>Embedding</td><td>N(0, 1)</td><td>(none; left alone)</td></tr>
 *   <tr><td>BatchNormalization</td><td>BatchNorm1d/2d/3d</td><td>gamma 1</td><td>beta 0; running mean 0,
 *       running var 1 (log10stdev 0)</td></tr>
 *   <tr><td>PReLULayer</td><td>PReLU</td><td>0.25</td><td></td></tr>
 *   <tr><td>SelfAttentionLayer (nIn = nOut)</td><td>MultiheadAttention(bias=False)</td>
 *       <td>out_proj U(±1/√E), then in_proj xavier_uniform_ over (3E, E)</td><td>(none in DL4J)</td></tr>
 * </table>
 */
public final class TorchDefaults {
    private TorchDefaults() {
    }

    /**
     * PyTorch's {@code reset_parameters()} for every layer with a PyTorch twin, drawn from a
     * {@code FastSampler} seeded from ND4J's generator (fast; follows DL4J's {@code .seed(...)};
     * PyTorch's distributions, not its bits).
     */
    public static NetworkInitializer initializer() {
        return NetworkInitializer.builder().rules(rules()).build();
    }

    /**
     * PyTorch's {@code reset_parameters()} drawn from {@code new TorchGenerator(torchSeed)} in
     * PyTorch's order: the bits of {@code torch.manual_seed(torchSeed); Model()} for a model whose
     * constructor builds its modules and does nothing else. For one with an init loop of its own,
     * give both passes one generator ({@code initializer().toBuilder().generator(g)}).
     */
    public static NetworkInitializer initializer(long torchSeed) {
        return NetworkInitializer.builder().rules(rules()).torchSeed(torchSeed).build();
    }

    /** The rules, lenient (a network without LSTMs simply has nothing for the LSTM rule). */
    public static List<Rule> rules() {
        LayerSelector linear = LayerSelector.ofType(DenseLayer.class, BaseOutputLayer.class);
        LayerSelector conv = LayerSelector.ofType(ConvolutionLayer.class);
        LayerSelector bn = LayerSelector.ofType(BatchNormalization.class);
        LayerSelector attention = LayerSelector.ofType(SelfAttentionLayer.class);
        SchemeChoice rnn = (layer, param) -> {
            double stdv = 1.0 / Math.sqrt(param.hiddenSize());
            return new Uniform(-stdv, stdv);
        };
        return Rules.lenient(
                Rule.of(linear, new TorchDefaultInit(), ParamRole.WEIGHT),
                Rule.of(linear, new TorchDefaultBias(), ParamRole.BIAS),
                Rule.of(conv, new TorchDefaultInit(), ParamRole.WEIGHT, ParamRole.DEPTHWISE_WEIGHT,
                        ParamRole.POINTWISE_WEIGHT),
                Rule.of(conv, new TorchDefaultBias(), ParamRole.BIAS),
                Rule.of(LayerSelector.ofType(EmbeddingLayer.class, EmbeddingSequenceLayer.class), new Normal(0, 1),
                        ParamRole.WEIGHT),
                Rule.of(LayerSelector.ofType(LSTM.class, GravesLSTM.class, SimpleRnn.class), rnn,
                        ParamRole.WEIGHT, ParamRole.RECURRENT_WEIGHT, ParamRole.BIAS, ParamRole.PEEPHOLE),
                Rule.of(bn, new Constant(1), ParamRole.GAMMA, ParamRole.RUNNING_VAR),
                Rule.of(bn, new Constant(0), ParamRole.BETA, ParamRole.RUNNING_MEAN),
                Rule.of(LayerSelector.ofType(PReLULayer.class), new Constant(0.25), ParamRole.PRELU_ALPHA),
                Rule.of(attention, new TorchDefaultInit(), ParamRole.OUTPUT_PROJECTION),
                Rule.of(attention, new TorchDefaultBias(), ParamRole.BIAS),
                Rule.of(attention, new XavierUniform(), ParamRole.WEIGHT));
    }
}
