package io.github.dl4jinit.network;

import io.github.dl4jinit.internal.Args;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One rule: the layers a {@link LayerSelector} picks, the parameters with the given roles, and the
 * scheme to give them. Later rules override earlier ones.
 *
 * <p>A strict rule (every rule a user adds) is validated against the network: its selector must
 * select at least one layer, an explicit selector's layers must each have one of the roles, and any
 * other selector must find the roles on at least one layer. The rules of presets such as
 * {@code torchDefaults()} are lenient: a network without LSTMs simply has nothing for the LSTM rule.
 */
public final class Rule {
    private final LayerSelector layers;
    private final Set<ParamRole> roles;
    private final SchemeChoice scheme;
    private final boolean strict;

    Rule(LayerSelector layers, Set<ParamRole> roles, SchemeChoice scheme, boolean strict) {
        this.layers = Args.notNull("layers", layers);
        Args.notNull("roles", roles);
        if (roles.isEmpty()) {
            throw Args.invalid("roles", "[]", "at least one ParamRole");
        }
        this.roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
        this.scheme = Args.notNull("scheme", scheme);
        this.strict = strict;
    }

    /** The same rule, lenient: used by presets that apply to whatever layers a network has. */
    public Rule lenient() {
        return new Rule(layers, roles, scheme, false);
    }

    public LayerSelector layers() {
        return layers;
    }

    public Set<ParamRole> roles() {
        return roles;
    }

    public SchemeChoice scheme() {
        return scheme;
    }

    public boolean strict() {
        return strict;
    }

    @Override
    public String toString() {
        return "rule(" + layers + ", " + roles + " -> " + scheme + ")";
    }
}
