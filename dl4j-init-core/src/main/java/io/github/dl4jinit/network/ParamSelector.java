package io.github.dl4jinit.network;

import io.github.dl4jinit.internal.Args;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which parameters of the selected layers a rule gives its scheme: by DL4J {@link ParamRole}, or by
 * the name an init loop uses on the PyTorch module ({@code m.weight}, {@code m.bias},
 * {@code m.weight_ih_l0}).
 *
 * <pre>{@code
 * // for m in model.modules():
 * //     if isinstance(m, nn.Conv2d):
 * //         nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
 * //         if m.bias is not None:
 * //             nn.init.zeros_(m.bias)
 * builder.rule(LayerSelector.isInstance(TorchModule.CONV2D), TorchInit.kaimingNormal(0, "fan_out", "relu"),
 *              ParamSelector.weight());
 * builder.rule(LayerSelector.isInstance(TorchModule.CONV2D), TorchInit.zeros(), ParamSelector.bias().ifPresent());
 * }</pre>
 *
 * <p>PyTorch's names follow the layer's twin ({@link LayerParam#torchAttributes}): {@code weight} is a
 * depthwise convolution's kernel too (DL4J's role {@link ParamRole#DEPTHWISE_WEIGHT}), and both
 * kernels of a SeparableConvolution2D, which PyTorch builds as two {@code nn.Conv2d}; a
 * BatchNormalization's {@code weight} and {@code bias} are its gamma and beta. DL4J's one recurrent
 * bias stands for PyTorch's {@code bias_ih_l0} and {@code bias_hh_l0} together: a rule must name
 * both (it draws each in turn and stores the sum).
 *
 * <p>A strict rule (every rule a user adds) is refused when none of the layers it selects has such a
 * parameter, or when a layer it names one by one lacks it; {@link #ifPresent()} lifts that check, as
 * {@code if m.bias is not None} does.
 */
public final class ParamSelector {
    private final Set<ParamRole> roles;
    private final Set<String> torchNames;
    private final boolean ifPresent;

    private ParamSelector(Set<ParamRole> roles, Set<String> torchNames, boolean ifPresent) {
        this.roles = roles;
        this.torchNames = torchNames;
        this.ifPresent = ifPresent;
    }

    /** The parameters with one of these DL4J roles. */
    public static ParamSelector roles(ParamRole... roles) {
        Args.notNull("roles", roles);
        if (roles.length == 0) {
            throw Args.invalid("roles", "[]", "at least one ParamRole");
        }
        for (ParamRole r : roles) {
            Args.notNull("roles[i]", r);
        }
        return new ParamSelector(Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(roles))), null, false);
    }

    /**
     * The parameters PyTorch calls by one of these names on the layer's module, as an init loop
     * writes {@code m.weight} or {@code m.bias_ih_l0}.
     */
    public static ParamSelector torch(String... names) {
        Args.notNull("names", names);
        if (names.length == 0) {
            throw Args.invalid("names", "[]", "at least one PyTorch parameter name (weight, bias, ...)");
        }
        Set<String> set = new LinkedHashSet<>();
        for (String n : names) {
            if (Args.notNull("names[i]", n).trim().isEmpty()) {
                throw Args.invalid("names", Arrays.toString(names), "PyTorch parameter names such as weight or bias");
            }
            set.add(n);
        }
        return new ParamSelector(null, Collections.unmodifiableSet(set), false);
    }

    /** PyTorch's {@code m.weight}. */
    public static ParamSelector weight() {
        return torch("weight");
    }

    /** PyTorch's {@code m.bias}. */
    public static ParamSelector bias() {
        return torch("bias");
    }

    /**
     * The same selection without the check that the selected layers have such a parameter: PyTorch's
     * {@code if m.bias is not None}.
     */
    public ParamSelector ifPresent() {
        return new ParamSelector(roles, torchNames, true);
    }

    /** True if a rule with this selection gives its scheme to this parameter. */
    public boolean matches(LayerParam param) {
        if (roles != null) {
            return roles.contains(param.role());
        }
        List<String> names = param.torchAttributes();
        return !names.isEmpty() && torchNames.containsAll(names);
    }

    /** The argument error messages name: {@code roles} or {@code params}. */
    String argumentName() {
        return roles != null ? "roles" : "params";
    }

    /** True when {@link #ifPresent()} was asked for. */
    public boolean optional() {
        return ifPresent;
    }

    /** The DL4J roles selected; empty when the selection is by PyTorch name. */
    public Set<ParamRole> roles() {
        return roles == null ? Collections.emptySet() : roles;
    }

    /** The PyTorch names selected; empty when the selection is by role. */
    public Set<String> torchNames() {
        return torchNames == null ? Collections.emptySet() : torchNames;
    }

    /**
     * Refuses a selection that names only part of one DL4J parameter (one of a recurrent layer's
     * two biases): it cannot be honoured without changing the other.
     */
    void checkWhole(NetworkLayer layer) {
        if (torchNames == null) {
            return;
        }
        for (LayerParam p : layer.params()) {
            List<String> names = p.torchAttributes();
            boolean some = names.stream().anyMatch(torchNames::contains);
            if (some && !torchNames.containsAll(names)) {
                throw Args.invalid("params", torchNames, "all of " + names + ": DL4J's " + p.key() + " of " + layer
                        + " is " + String.join(" + ", names) + " in PyTorch, drawn in turn and stored as the sum");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ParamSelector)) {
            return false;
        }
        ParamSelector p = (ParamSelector) o;
        return ifPresent == p.ifPresent && Objects.equals(roles, p.roles)
                && Objects.equals(torchNames, p.torchNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(roles, torchNames, ifPresent);
    }

    @Override
    public String toString() {
        String s = roles != null ? roles.toString() : "torch " + torchNames;
        return ifPresent ? s + " if present" : s;
    }
}
