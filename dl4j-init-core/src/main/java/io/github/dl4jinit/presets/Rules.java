package io.github.dl4jinit.presets;

import io.github.dl4jinit.network.Rule;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** What the presets share: a preset's rules are lenient, since they apply to whatever layers a network has. */
final class Rules {
    private Rules() {
    }

    static List<Rule> lenient(Rule... rules) {
        return Collections.unmodifiableList(Arrays.stream(rules).map(Rule::lenient).collect(Collectors.toList()));
    }
}
