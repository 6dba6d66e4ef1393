package io.github.dl4jinit.network;

import io.github.dl4jinit.internal.Args;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order in which one initializer pass visits layers, named for which of PyTorch's two orders it
 * is. A PyTorch model draws from the global generator in two passes, each in its own order:
 * <ul>
 *   <li>{@link Kind#CONSTRUCTION}: when each module's {@code reset_parameters()} ran while the model
 *       was built. This decides the default draws ({@code TorchDefaults}). torchvision's ResNet, for
 *       instance, builds a block's {@code downsample} before the block's own convolutions.</li>
 *   <li>{@link Kind#REGISTRATION}: {@code model.modules()}, children in the order they were assigned
 *       as attributes. This decides the draws of the model's own init loop
 *       ({@code for m in self.modules()}, {@code model.apply(fn)}).</li>
 * </ul>
 * {@code dl4j-init-tests/python/module_orders.py} prints both for any {@code nn.Module}.
 *
 * <p>An order lists layer names, each once; it need not list layers the pass leaves alone, but a pass
 * refuses to write a layer its order omits (the stream would shift).
 */
final class ModuleOrder {
    /** Which of PyTorch's two orders. */
    enum Kind {
        CONSTRUCTION("constructionOrder"),
        REGISTRATION("registrationOrder"),
        /** The deprecated {@code moduleOrder(...)}: a walk order with no PyTorch meaning stated. */
        UNSTATED("moduleOrder");

        final String argument;

        Kind(String argument) {
            this.argument = argument;
        }
    }

    private final Kind kind;
    private final List<String> names;

    private ModuleOrder(Kind kind, List<String> names) {
        this.kind = kind;
        this.names = names;
    }

    /** Checks the names (none null or repeated) and keeps a copy. */
    static ModuleOrder of(Kind kind, String... layerNames) {
        Args.notNull(kind.argument, layerNames);
        Set<String> seen = new HashSet<>();
        for (String n : layerNames) {
            Args.notNull(kind.argument + "[i]", n);
            if (!seen.add(n)) {
                throw Args.invalid(kind.argument, Arrays.toString(layerNames),
                        "each layer name once; \"" + n + "\" is repeated (it would draw that layer twice and shift the stream)");
            }
        }
        return new ModuleOrder(kind, Collections.unmodifiableList(new ArrayList<>(Arrays.asList(layerNames))));
    }

    Kind kind() {
        return kind;
    }

    List<String> names() {
        return names;
    }

    /** The argument name used in error messages, e.g. {@code constructionOrder}. */
    String argument() {
        return kind.argument;
    }
}
