package io.github.dl4jinit.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTableTest {

    @Test
    void printsAMarkdownTablePaddedToTheWidestCell() {
        String t = TextTable.of("layer", "n").alignRight(1).row("fc1", 12345).row("head", null).toString();
        assertThat(t).isEqualTo(
                "| layer |     n |\n"
                        + "|-------|------:|\n"
                        + "| fc1   | 12345 |\n"
                        + "| head  |     - |\n");
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> TextTable.of("a", "b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 cells");
    }
}
