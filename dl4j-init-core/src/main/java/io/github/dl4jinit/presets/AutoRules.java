package io.github.dl4jinit.presets;

import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.FanMode;
import io.github.dl4jinit.init.KaimingNormal;
import io.github.dl4jinit.init.LeCunNormal;
import io.github.dl4jinit.init.Nonlinearity;
import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.init.XavierNormal;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamRole;
import io.github.dl4jinit.network.Rule;
import io.github.dl4jinit.network.SchemeChoice;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

import java.util.List;

/**
 * Initialization by activation, a preset PyTorch does not have: each layer's weight scheme and gain follow from its
 * own activation function, and biases start at 0.
 *
 * <table>
 *   <caption>Activation → scheme (gains from {@link Nonlinearity})</caption>
 *   <tr><th>activation</th><th>scheme</th><th>Var(W)</th></tr>
 *   <tr><td>ReLU</td><td>kaiming_normal_(fan_in, relu)</td><td>2 / fan_in</td></tr>
 *   <tr><td>LeakyReLU(α)</td><td>kaiming_normal_(a=α, fan_in, leaky_relu)</td><td>2 / ((1 + α²) fan_in)</td></tr>
 *   <tr><td>tanh</td><td>xavier_normal_(gain=5/3)</td><td>(25/9) · 2 / (fan_in + fan_out)</td></tr>
 *   <tr><td>sigmoid, identity, softmax</td><td>xavier_normal_()</td><td>2 / (fan_in + fan_out)</td></tr>
 *   <tr><td>SELU</td><td>LeCun normal</td><td>1 / fan_in</td></tr>
 * </table>
 * Layers with any other activation keep their weights and are named in the report.
 */
public final class AutoRules {
    private AutoRules() {
    }

    /** The scheme for a layer's activation, or null for an activation without a rule. */
    public static TorchWeightInit schemeFor(IActivation activation) {
        if (activation instanceof ActivationReLU) {
            return new KaimingNormal(0, FanMode.FAN_IN, Nonlinearity.RELU);
        }
        if (activation instanceof ActivationLReLU) {
            return new KaimingNormal(((ActivationLReLU) activation).getAlpha(), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
        }
        if (activation instanceof ActivationTanH) {
            return new XavierNormal(Nonlinearity.TANH.gain());
        }
        if (activation instanceof ActivationSigmoid || activation instanceof ActivationIdentity
                || activation instanceof ActivationSoftmax) {
            return new XavierNormal(Nonlinearity.SIGMOID.gain());
        }
        if (activation instanceof ActivationSELU) {
            return new LeCunNormal();
        }
        return null;
    }

    /** An initializer with these rules, drawing from ND4J-seeded samplers. */
    public static NetworkInitializer initializer() {
        return NetworkInitializer.builder().rules(rules()).build();
    }

    /** The rules, lenient: weights by activation, biases zero. */
    public static List<Rule> rules() {
        SchemeChoice byActivation = (layer, param) -> layer.config() instanceof BaseLayer
                ? schemeFor(((BaseLayer) layer.config()).getActivationFn()) : null;
        LayerSelector layers = LayerSelector.ofType(BaseLayer.class);
        return Rules.lenient(
                Rule.of(layers, byActivation, ParamRole.WEIGHT, ParamRole.RECURRENT_WEIGHT,
                        ParamRole.DEPTHWISE_WEIGHT, ParamRole.POINTWISE_WEIGHT),
                Rule.of(layers, new Constant(0), ParamRole.BIAS));
    }
}
