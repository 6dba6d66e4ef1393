package io.github.dl4jinit.presets;

import io.github.dl4jinit.init.Constant;
import io.github.dl4jinit.init.FanMode;
import io.github.dl4jinit.init.KaimingNormal;
import io.github.dl4jinit.init.Nonlinearity;
import io.github.dl4jinit.init.Normal;
import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.internal.Args;
import io.github.dl4jinit.network.LayerSelector;
import io.github.dl4jinit.network.NetworkInitializer;
import io.github.dl4jinit.network.ParamSelector;
import io.github.dl4jinit.network.Rule;
import io.github.dl4jinit.network.TorchModule;

import java.util.List;

/**
 * The init loops real PyTorch models run after building their modules, as {@link NetworkInitializer}
 * rules. A model's loop draws from the same global generator as its construction, after it, in
 * registration order ({@code model.modules()}); to reproduce the whole program bit for bit, run the
 * defaults and then the loop on one shared generator:
 *
 * <pre>{@code
 * TorchGenerator g = new TorchGenerator(seed);                         // torch.manual_seed(seed)
 * TorchDefaults.initializer().toBuilder().generator(g)                // resnet18(): reset_parameters()
 *         .constructionOrder(construction).build().initialize(net);
 * NetworkInitializer.builder().generator(g).rules(TorchInitLoops.torchvisionResNet())
 *         .registrationOrder(registration).build().initialize(net);  // ... then its own loop
 * }</pre>
 *
 * <p>The rules are lenient: a module class the network does not have is simply not visited, as in
 * the Python loop. {@code isinstance} is {@link LayerSelector#isInstance}; a DL4J BatchNormalization
 * stands for BatchNorm1d, 2d and 3d alike, which gives the same values here (the loops set BatchNorm
 * to constants, which draw nothing).
 */
public final class TorchInitLoops {
    private TorchInitLoops() {
    }

    /**
     * torchvision's ResNet ({@code models/resnet.py}, {@code zero_init_residual=False}):
     * <pre>
     * for m in self.modules():
     *     if isinstance(m, nn.Conv2d):
     *         nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
     *     elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
     *         nn.init.constant_(m.weight, 1)
     *         nn.init.constant_(m.bias, 0)
     * </pre>
     * The final Linear keeps its default draws.
     */
    public static List<Rule> torchvisionResNet() {
        return Rules.lenient(
                Rule.of(conv2d(), new KaimingNormal(0, FanMode.FAN_OUT, Nonlinearity.RELU), ParamSelector.weight()),
                Rule.of(batchNorm(), new Constant(1), ParamSelector.weight()),
                Rule.of(batchNorm(), new Constant(0), ParamSelector.bias()));
    }

    /**
     * torchvision's MobileNetV2 ({@code models/mobilenetv2.py}); its depthwise convolutions are
     * {@code nn.Conv2d(groups=in)}, so the first branch reaches them too:
     * <pre>
     * for m in self.modules():
     *     if isinstance(m, nn.Conv2d):
     *         nn.init.kaiming_normal_(m.weight, mode="fan_out")
     *         if m.bias is not None:
     *             nn.init.zeros_(m.bias)
     *     elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
     *         nn.init.ones_(m.weight)
     *         nn.init.zeros_(m.bias)
     *     elif isinstance(m, nn.Linear):
     *         nn.init.normal_(m.weight, 0, 0.01)
     *         nn.init.zeros_(m.bias)
     * </pre>
     */
    public static List<Rule> torchvisionMobileNetV2() {
        return convBatchNormLinear(new KaimingNormal(0, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU));
    }

    /**
     * torchvision's VGG ({@code models/vgg.py}, {@code init_weights=True}): as
     * {@link #torchvisionMobileNetV2()} but with {@code nonlinearity="relu"} on the convolutions
     * (the same gain, √2, as the default {@code leaky_relu} with slope 0), Linear weights
     * {@code normal_(0, 0.01)} and biases 0.
     */
    public static List<Rule> torchvisionVgg() {
        return convBatchNormLinear(new KaimingNormal(0, FanMode.FAN_OUT, Nonlinearity.RELU));
    }

    /**
     * A Hugging Face model's {@code _init_weights} as {@code post_init()} applies it
     * ({@code self.apply(self._init_weights)}):
     * <pre>
     * if isinstance(module, nn.Linear):
     *     module.weight.data.normal_(mean=0.0, std=config.initializer_range)
     *     if module.bias is not None:
     *         module.bias.data.zero_()
     * elif isinstance(module, nn.Embedding):
     *     module.weight.data.normal_(mean=0.0, std=config.initializer_range)
     * </pre>
     * DL4J's embedding layers have no {@code padding_idx} (whose row PyTorch zeroes after the draw),
     * and no standalone LayerNorm (set to 1 and 0 by the full function, without draws).
     *
     * @param initializerRange {@code config.initializer_range} (0.02 for most models)
     * @throws IllegalArgumentException if it is negative, NaN or infinite
     */
    public static List<Rule> huggingFace(double initializerRange) {
        Args.nonNegative("initializerRange", initializerRange);
        Normal normal = new Normal(0, initializerRange);
        return Rules.lenient(
                Rule.of(LayerSelector.isInstance(TorchModule.LINEAR), normal, ParamSelector.weight()),
                Rule.of(LayerSelector.isInstance(TorchModule.LINEAR), new Constant(0), ParamSelector.bias().ifPresent()),
                Rule.of(LayerSelector.isInstance(TorchModule.EMBEDDING), normal, ParamSelector.weight()));
    }

    /** The loop torchvision's MobileNet, VGG, EfficientNet... share, with their convolution scheme. */
    private static List<Rule> convBatchNormLinear(TorchWeightInit convWeight) {
        LayerSelector linear = LayerSelector.isInstance(TorchModule.LINEAR);
        return Rules.lenient(
                Rule.of(conv2d(), convWeight, ParamSelector.weight()),
                Rule.of(conv2d(), new Constant(0), ParamSelector.bias().ifPresent()),
                Rule.of(batchNorm(), new Constant(1), ParamSelector.weight()),
                Rule.of(batchNorm(), new Constant(0), ParamSelector.bias()),
                Rule.of(linear, new Normal(0, 0.01), ParamSelector.weight()),
                Rule.of(linear, new Constant(0), ParamSelector.bias()));
    }

    private static LayerSelector conv2d() {
        return LayerSelector.isInstance(TorchModule.CONV2D);
    }

    private static LayerSelector batchNorm() {
        return LayerSelector.isInstance(TorchModule.BATCH_NORM);
    }

}
