package io.github.dl4jinit.examples;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;

/** picocli converter from a scheme's command-line name to {@link Scheme}. */
final class SchemeConverter implements CommandLine.ITypeConverter<Scheme> {
    @Override
    public Scheme convert(String value) {
        try {
            return Scheme.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The names, for picocli's ${COMPLETION-CANDIDATES}. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Scheme.values()).map(Scheme::cliName).iterator();
        }
    }
}
