package io.github.dl4jinit.network;

import io.github.dl4jinit.init.TorchWeightInit;
import io.github.dl4jinit.internal.Args;

import java.util.Set;

/**
 * One rule: the layers a {@link LayerSelector} picks, the parameters a {@link ParamSelector} picks
 * in them, and the scheme to give those. Later rules override earlier ones.
 *
 * <pre>{@code
 * Rule.of(LayerSelector.isInstance(TorchModule.LINEAR), TorchInit.normal(0, 0.01), ParamSelector.weight())
 * }</pre>
 *
 * <p>A strict rule (what {@link #of} makes, and every rule a user adds to a builder) is validated
 * against the network: its selector must select at least one layer, an explicit selector's layers
 * must each have a selected parameter, and any other selector must find one on at least one layer
 * ({@link ParamSelector#ifPresent()} lifts the parameter checks). Presets such as
 * {@code TorchDefaults.rules()} are {@link #lenient()}: a network without LSTMs simply has nothing for the
 * LSTM rule.
 */
public final class Rule {
    private final LayerSelector layers;
    private final ParamSelector params;
    private final SchemeChoice scheme;
    private final boolean strict;

    Rule(LayerSelector layers, ParamSelector params, SchemeChoice scheme, boolean strict) {
        this.layers = Args.notNull("layers", layers);
        this.params = Args.notNull("params", params);
        this.scheme = Args.notNull("scheme", scheme);
        this.strict = strict;
    }

    /** A strict rule giving {@code scheme} to the selected parameters of the selected layers. */
    public static Rule of(LayerSelector layers, TorchWeightInit scheme, ParamSelector params) {
        return of(layers, SchemeChoice.of(Args.notNull("scheme", scheme)), params);
    }

    /** As {@link #of(LayerSelector, TorchWeightInit, ParamSelector)} with a per-parameter choice. */
    public static Rule of(LayerSelector layers, SchemeChoice scheme, ParamSelector params) {
        return new Rule(layers, params, scheme, true);
    }

    /** A strict rule on the parameters with these DL4J roles. */
    public static Rule of(LayerSelector layers, TorchWeightInit scheme, ParamRole... roles) {
        return of(layers, scheme, ParamSelector.roles(roles));
    }

    /** A strict rule on the parameters with these DL4J roles, with a per-parameter choice. */
    public static Rule of(LayerSelector layers, SchemeChoice scheme, ParamRole... roles) {
        return of(layers, scheme, ParamSelector.roles(roles));
    }

    /** The same rule, lenient: used by presets that apply to whatever layers a network has. */
    public Rule lenient() {
        return new Rule(layers, params, scheme, false);
    }

    public LayerSelector layers() {
        return layers;
    }

    /** Which parameters of the selected layers the rule applies to. */
    public ParamSelector params() {
        return params;
    }

    /** The DL4J roles selected; empty for a rule that selects by PyTorch name. */
    public Set<ParamRole> roles() {
        return params.roles();
    }

    public SchemeChoice scheme() {
        return scheme;
    }

    public boolean strict() {
        return strict;
    }

    @Override
    public String toString() {
        return "rule(" + layers + ", " + params + " -> " + scheme + ")";
    }
}
