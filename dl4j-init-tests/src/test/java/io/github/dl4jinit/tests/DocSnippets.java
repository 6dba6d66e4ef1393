package io.github.dl4jinit.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps a document's Java examples compiled: every {@code ```java} block of the document must be
 * the body between a {@code // doc:begin} and {@code // doc:end} marker of the test class that runs
 * it, in the same order, and vice versa (blank lines and indentation aside).
 */
final class DocSnippets {
    private DocSnippets() {
    }

    /**
     * @param document path from the repository root, e.g. {@code README.md}
     * @param test     the test class holding the marked bodies
     * @param expected how many examples the document has (catches a marker lost by both sides)
     */
    static void assertDocumentShowsExactly(String document, Class<?> test, int expected) throws IOException {
        Path md = Paths.get("..").resolve(document);
        Path src = Paths.get("src", "test", "java").resolve(test.getName().replace('.', '/') + ".java");
        List<String> shown = blocks(Files.readString(md, StandardCharsets.UTF_8), "```java\\n(.*?)```");
        List<String> tested = blocks(Files.readString(src, StandardCharsets.UTF_8), "// doc:begin\\n(.*?)// doc:end");
        assertThat(tested).as("examples marked in " + test.getSimpleName()).hasSize(expected);
        assertThat(shown).as("Java examples of " + document).containsExactlyElementsOf(tested);
    }

    private static List<String> blocks(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        while (m.find()) {
            out.add(normalize(m.group(1)));
        }
        return out;
    }

    private static String normalize(String code) {
        StringBuilder sb = new StringBuilder();
        for (String line : code.split("\n")) {
            if (!line.trim().isEmpty()) {
                sb.append(line.trim()).append('\n');
            }
        }
        return sb.toString();
    }
}
