package io.github.dl4jinit.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The safetensors reader trusts nothing: every malformed file is refused with a
 * {@link SafetensorsFormatException} that names the file and the problem; and what the writer
 * writes, the reader reads back bit for bit.
 */
class SafetensorsFormatTest {
    @TempDir
    Path dir;

    private Path file(byte[] header, int dataBytes) throws IOException {
        return file(header.length, header, new byte[dataBytes]);
    }

    private Path file(long headerLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header).put(data);
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private Path json(String header, int dataBytes) throws IOException {
        return file(header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private void refused(Path f, String... words) {
        assertThatThrownBy(() -> TorchStateDict.read(f)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(f.getFileName().toString()).hasMessageContainingAll(words);
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void fileShorterThanTheHeaderLength() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[]{1, 2, 3});
        refused(f, "3 bytes", "fewer than the 8");
    }

    @Test
    void headerOverTheLimit() throws IOException {
        refused(file(100_000_001L, new byte[]{'{', '}'}, new byte[0]), "100000001", "limit of 100000000");
        refused(file(-1L, new byte[]{'{', '}'}, new byte[0]), "18446744073709551615", "limit");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        refused(file(500, new byte[]{'{', '}'}, new byte[0]), "header length 500 runs past the end of the file (10 bytes)");
    }

    @Test
    void headerNotUtf8NorAnObject() throws IOException {
        refused(file(new byte[]{'{', (byte) 0xff, '}'}, 0), "not valid UTF-8");
        refused(json("[1, 2]", 0), "does not start with '{'");
        refused(json("{\"a\": ", 0), "not valid JSON");
        refused(json("{} {}", 0), "content after its JSON object");
        refused(json("{\"a\": 3}", 0), "tensor \"a\": expected an object, found an integer");
        refused(json("{\"__metadata__\": {\"k\": 1}}", 0), "__metadata__.k: expected a string");
    }

    @Test
    void tensorFieldsChecked() throws IOException {
        refused(json("{" + tensor("w", "F33", "[2]", 0, 8) + "}", 8), "unknown dtype \"F33\"");
        refused(json("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8), "\"w\" lacks shape");
        refused(json("{" + tensor("w", "F32", "[-2]", 0, 8) + "}", 8), "shape of \"w\" holds -2");
        refused(json("{" + tensor("w", "F32", "[2.5]", 0, 8) + "}", 8), "shape of \"w\"");
        refused(json("{" + tensor("w", "F32", "[99999999999999999999]", 0, 8) + "}", 8), "beyond 64 bits");
        refused(json("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8), "3 numbers");
        refused(json("{" + tensor("w", "F32", "[2]", 0, 8) + "," + tensor("w", "F32", "[2]", 8, 16) + "}", 16),
                "\"w\" appears twice");
    }

    @Test
    void shapesThatOverflowOrDoNotMatchTheOffsets() throws IOException {
        refused(json("{" + tensor("w", "F32", "[4294967296,4294967296,16]", 0, 8) + "}", 8),
                "too many elements to count in 64 bits");
        refused(json("{" + tensor("w", "F32", "[3]", 0, 8) + "}", 8), "needs 12 bytes", "hold 8");
        refused(json("{" + tensor("w", "F32", "[2]", 8, 0) + "}", 8), "ends (0) before it begins (8)");
    }

    @Test
    void offsetsOutsideTheDataOverlappingOrLeavingGaps() throws IOException {
        refused(json("{" + tensor("w", "F32", "[4]", 0, 16) + "}", 8), "ends at byte 16", "8 bytes");
        refused(json("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12),
                "\"b\" begins at byte 4, inside the data of another tensor");
        refused(json("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}", 12),
                "bytes 4 to 8 of the data belong to no tensor");
        refused(json("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 12), "the data has 12 bytes, the tensors cover 4");
    }

    @Test
    void truncatedFile() throws IOException {
        Path f = dir.resolve("whole.safetensors");
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("w", Nd4j.rand(DataType.FLOAT, 5, 7));
        TorchStateDict.of(m).write(f);
        byte[] whole = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 3));
        refused(cut, "\"w\" ends at byte 140", "137 bytes", "truncated");
        Files.write(cut, Arrays.copyOf(whole, 20));
        refused(cut, "runs past the end of the file");
    }

    @Test
    void everyTypeSurvivesWriteAndReadBitForBit() throws IOException {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("f32", Nd4j.rand(DataType.FLOAT, 3, 4).subi(0.5));
        m.put("f64", Nd4j.rand(DataType.DOUBLE, 2, 3, 2));
        m.put("f16", Nd4j.rand(DataType.FLOAT, 7).subi(0.5).castTo(DataType.HALF));
        m.put("bf16", Nd4j.rand(DataType.FLOAT, 2, 2).castTo(DataType.BFLOAT16));
        m.put("i64", Nd4j.createFromArray(-3L, 0L, Long.MAX_VALUE));
        m.put("i32", Nd4j.createFromArray(new int[][]{{1, -2}, {3, Integer.MIN_VALUE}}));
        m.put("i8", Nd4j.createFromArray(new byte[]{-128, 0, 127}));
        m.put("bool", Nd4j.createFromArray(true, false, true));
        m.put("scalar", Nd4j.scalar(7L));
        m.put("empty", Nd4j.create(DataType.FLOAT, 0, 3));
        m.put("f-order", Nd4j.rand(DataType.FLOAT, 'f', 3, 5));
        Path f = dir.resolve("all.safetensors");
        TorchStateDict.of(m).write(f);
        TorchStateDict back = TorchStateDict.read(f);
        assertThat(back.names()).containsExactlyInAnyOrderElementsOf(m.keySet());
        for (Map.Entry<String, INDArray> e : m.entrySet()) {
            INDArray got = back.get(e.getKey());
            assertThat(got.dataType()).as(e.getKey()).isEqualTo(e.getValue().dataType());
            assertThat(got.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
            assertThat(got).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(back.dtype("bf16")).isEqualTo("BF16");
        assertThat(back.shape("scalar")).isEmpty();
        assertThat(Files.list(dir)).as("no partial file left").containsExactly(f);
    }

    @Test
    void halfPrecisionConversionsAreExactAndRoundToNearestEven() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Halves.halfToFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertThat(Halves.floatToHalf(f)).as("0x%04x", bits).isEqualTo((short) bits);
            }
        }
        assertThat(Halves.halfToFloat(Halves.floatToHalf(1 + 0x1p-11f))).isEqualTo(1f);        // tie to even
        assertThat(Halves.halfToFloat(Halves.floatToHalf(1 + 3 * 0x1p-11f))).isEqualTo(1 + 0x1p-9f);
        assertThat(Halves.halfToFloat(Halves.floatToHalf(65520f))).isInfinite();               // rounds past max
        assertThat(Halves.halfToFloat(Halves.floatToHalf(0x1p-25f))).isEqualTo(0f);            // tie to even zero
    }

    @Test
    void writeReplacesAnExistingFileWhole() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Files.write(f, new byte[]{1, 2, 3});
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("a", Nd4j.ones(DataType.FLOAT, 2));
        TorchStateDict.of(m).write(f);
        assertThat(TorchStateDict.read(f).get("a")).isEqualTo(Nd4j.ones(DataType.FLOAT, 2));
        assertThat(Files.list(dir)).containsExactly(f);
    }

    @Test
    void badArgumentsNameThemselves() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("__metadata__", Nd4j.ones(2));
        assertThatThrownBy(() -> TorchStateDict.of(m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("__metadata__");
        Map<String, INDArray> ok = new LinkedHashMap<>();
        ok.put("a.x", Nd4j.ones(2));
        ok.put("b.x", Nd4j.ones(2));
        TorchStateDict sd = TorchStateDict.of(ok);
        assertThatThrownBy(() -> sd.get("c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'name' = \"c\"").hasMessageContaining("a.x");
        assertThatThrownBy(() -> sd.renameKeys(k -> "same")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"a.x\" and \"b.x\" both to \"same\"");
        assertThat(sd.replacePrefix("a.", "z.").names()).containsExactly("z.x", "b.x");
    }
}
