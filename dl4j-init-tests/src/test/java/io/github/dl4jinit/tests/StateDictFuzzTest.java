package io.github.dl4jinit.tests;

import io.github.dl4jinit.torch.SafetensorsFormatException;
import io.github.dl4jinit.torch.TorchStateDict;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated safetensors files (bytes overwritten, lengths cut or lied about, header fields replaced)
 * meet only the documented outcomes: {@link SafetensorsFormatException} from {@code read}, or a
 * state_dict whose tensors {@code get} reads or refuses with IllegalArgumentException, and whose
 * {@code loadInto} loads or refuses with IllegalArgumentException leaving the network unchanged.
 * Never an OutOfMemoryError, an index error or anything else.
 */
class StateDictFuzzTest {
    /** PyTorch's file of the trained two-branch model: 2 KB, six tensors, a 500-byte header. */
    private static final byte[] VALID = bytes(StateDictFixtures.file("two_branch"));
    private static final int HEADER_END = 8 + (int) ByteBuffer.wrap(VALID).order(ByteOrder.LITTLE_ENDIAN).getLong(0);

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the bytes as a file and uses everything in it; fails on any undocumented outcome. */
    private static void onlyDocumentedOutcomes(byte[] content) throws IOException {
        Path f = Files.createTempFile("fuzz", ".safetensors");
        try {
            Files.write(f, content);
            TorchStateDict sd;
            try {
                sd = TorchStateDict.read(f);
            } catch (SafetensorsFormatException e) {
                assertThat(e.getMessage()).contains(f.getFileName().toString());
                return;
            }
            for (String name : sd.names()) {
                try {
                    sd.get(name);
                } catch (IllegalArgumentException e) {
                    assertThat(e.getMessage()).contains(name);
                }
            }
            ComputationGraph net = Models.twoBranch();
            float[] before = net.params().dup().data().asFloat();
            try {
                sd.loadInto(net);
            } catch (IllegalArgumentException e) {
                assertThat(net.params().dup().data().asFloat()).isEqualTo(before);
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 400)
    void overwrittenBytes(@ForAll("edits") List<Tuple.Tuple2<Integer, Byte>> edits) throws IOException {
        byte[] b = VALID.clone();
        for (Tuple.Tuple2<Integer, Byte> e : edits) {
            b[e.get1()] = e.get2();
        }
        onlyDocumentedOutcomes(b);
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> edits() {
        // most edits in the header, where the structure is
        Arbitrary<Integer> where = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, HEADER_END - 1)),
                Tuple.of(1, Arbitraries.integers().between(0, VALID.length - 1)));
        return Combinators.combine(where, Arbitraries.bytes()).as(Tuple::of).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 200)
    void cutOrExtended(@ForAll("lengths") int length) throws IOException {
        onlyDocumentedOutcomes(Arrays.copyOf(VALID, length));
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.integers().between(0, VALID.length + 64);
    }

    @Property(tries = 200)
    void headerLengthLies(@ForAll long headerLength) throws IOException {
        byte[] b = VALID.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
        onlyDocumentedOutcomes(b);
    }

    /** A number or word of the JSON header replaced by another (offsets, dims, dtypes, names). */
    @Property(tries = 400)
    void headerFieldsReplaced(@ForAll("fields") Tuple.Tuple2<Integer, String> edit) throws IOException {
        String header = new String(VALID, 8, HEADER_END - 8, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+|\"[^\"]*\"").matcher(header);
        List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) {
            spans.add(new int[]{m.start(), m.end()});
        }
        int[] s = spans.get(edit.get1() % spans.size());
        String mutated = header.substring(0, s[0]) + edit.get2() + header.substring(s[1]);
        byte[] h = mutated.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + VALID.length - HEADER_END).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(VALID, HEADER_END, VALID.length - HEADER_END);
        onlyDocumentedOutcomes(b.array());
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Integer, String>> fields() {
        Arbitrary<String> replacement = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.longs().between(0, 4096).map(String::valueOf),
                Arbitraries.of("\"F32\"", "\"F16\"", "\"BF16\"", "\"F64\"", "\"I64\"", "\"BOOL\"", "\"F8_E4M3\"",
                        "\"U8\"", "\"F99\"", "\"head.weight\"", "\"left.bias\"", "\"__metadata__\"", "[]", "[1,2,3]",
                        "{}", "null", "1e3", "-1", "18446744073709551616", "\"\\ud800\""),
                Arbitraries.strings().ofMaxLength(8));
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), replacement).as(Tuple::of);
    }
}
