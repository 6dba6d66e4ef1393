package io.github.dl4jinit.torch;

import org.nd4j.shade.jackson.core.JsonFactory;
import org.nd4j.shade.jackson.core.JsonGenerator;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format: an unsigned 64-bit little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}, padded with spaces), then the tensors' bytes, little-endian, C
 * order, offsets relative to the end of the header.
 *
 * <p>Nothing in a file is trusted: the header may be at most 100,000,000 bytes (safetensors' own
 * limit) and must lie inside the file, be UTF-8 and one JSON object; every tensor needs a known
 * dtype, non-negative dimensions and offsets whose length is its element count times the element
 * size, without overflow; the tensors must tile the data region exactly, without gaps or overlaps,
 * as safetensors' reader requires. Data is mapped ({@link FileChannel#map}), not read into the heap.
 */
final class Safetensors {
    /** safetensors' limit on the header, against files that would exhaust memory. */
    static final long MAX_HEADER = 100_000_000L;
    static final String METADATA = "__metadata__";
    private static final JsonFactory JSON = new JsonFactory();

    private Safetensors() {
    }

    /** A parsed file: tensors in header order and the free-form metadata. */
    static final class Contents {
        final Map<String, TorchTensor> tensors;
        final Map<String, String> metadata;

        Contents(Map<String, TorchTensor> tensors, Map<String, String> metadata) {
            this.tensors = tensors;
            this.metadata = metadata;
        }
    }

    /** One header entry before it is checked against the data region. */
    private static final class Entry {
        final String name;
        final SafetensorsDtype dtype;
        final long[] shape;
        final long begin;
        final long end;

        Entry(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }
    }

    static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsFormatException(file, "the file has " + size
                        + " bytes, fewer than the 8 of the header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long n = len.getLong(0);
            if (n < 0 || n > MAX_HEADER) {
                throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(n)
                        + " exceeds safetensors' limit of " + MAX_HEADER + " bytes");
            }
            if (n > size - 8) {
                throw new SafetensorsFormatException(file, "header length " + n + " runs past the end of the file ("
                        + size + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(ch, header, 8, file);
            String json = utf8(header, file);
            if (!json.startsWith("{")) {
                throw new SafetensorsFormatException(file, "the header does not start with '{'");
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parse(json, metadata, file);
            long dataStart = 8 + n;
            long dataLength = size - dataStart;
            check(entries, dataLength, file);
            Map<String, TorchTensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                long bytes = e.end - e.begin;
                ByteBuffer data = null;
                String unmapped = null;
                if (bytes > Integer.MAX_VALUE) {
                    unmapped = "tensor " + e.name + " has " + bytes + " bytes, more than the 2 GiB one mapped buffer holds";
                } else if (bytes > 0) {
                    data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, bytes);
                }
                tensors.put(e.name, TorchTensor.mapped(e.dtype, e.shape, data, unmapped));
            }
            return new Contents(tensors, metadata);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long position, Path file) throws IOException {
        long pos = position;
        while (into.hasRemaining()) {
            int r = ch.read(into, pos);
            if (r < 0) {
                throw new SafetensorsFormatException(file, "the file ended while reading its header");
            }
            pos += r;
        }
        into.flip();
    }

    private static String utf8(ByteBuffer bytes, Path file) throws SafetensorsFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file, "the header is not valid UTF-8", e);
        }
    }

    /** Parses the header object with a streaming parser: no tree, so no depth a file could abuse. */
    private static List<Entry> parse(String json, Map<String, String> metadata, Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the header", file);
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                if (!seen.add(name)) {
                    throw new SafetensorsFormatException(file, "\"" + name + "\" appears twice in the header");
                }
                if (METADATA.equals(name)) {
                    expect(p.nextToken(), JsonToken.START_OBJECT, METADATA, file);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.getCurrentName();
                        expect(p.nextToken(), JsonToken.VALUE_STRING, METADATA + "." + key, file);
                        metadata.put(key, p.getText());
                    }
                    expect(p.currentToken(), JsonToken.END_OBJECT, METADATA, file);
                } else {
                    entries.add(entry(p, name, file));
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT, "the header", file);
            if (p.nextToken() != null) {
                throw new SafetensorsFormatException(file, "the header has content after its JSON object");
            }
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, "the header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return entries;
    }

    private static Entry entry(JsonParser p, String name, Path file) throws IOException {
        expect(p.nextToken(), JsonToken.START_OBJECT, "tensor \"" + name + "\"", file);
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.getCurrentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "dtype":
                    expect(t, JsonToken.VALUE_STRING, "dtype of \"" + name + "\"", file);
                    dtype = p.getText();
                    break;
                case "shape":
                    shape = longs(p, t, "shape of \"" + name + "\"", file);
                    break;
                case "data_offsets":
                    offsets = longs(p, t, "data_offsets of \"" + name + "\"", file);
                    break;
                default:
                    p.skipChildren();  // fields a later format version may add; safetensors ignores them too
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT, "tensor \"" + name + "\"", file);
        if (dtype == null || shape == null || offsets == null) {
            throw new SafetensorsFormatException(file, "tensor \"" + name + "\" lacks "
                    + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        SafetensorsDtype d = SafetensorsDtype.byName(dtype);
        if (d == null) {
            throw new SafetensorsFormatException(file, "tensor \"" + name + "\" has unknown dtype \"" + dtype
                    + "\" (known: " + Arrays.toString(SafetensorsDtype.values()) + ")");
        }
        if (offsets.length != 2) {
            throw new SafetensorsFormatException(file, "data_offsets of \"" + name + "\" has " + offsets.length
                    + " numbers, not [begin, end]");
        }
        return new Entry(name, d, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(JsonParser p, JsonToken t, String what, Path file) throws IOException {
        expect(t, JsonToken.START_ARRAY, what, file);
        List<Long> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new SafetensorsFormatException(file, what + " holds " + p.getText() + ", beyond 64 bits");
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw new SafetensorsFormatException(file, what + " holds " + v + ", a negative number");
            }
            out.add(v);
            if (out.size() > 64) {
                throw new SafetensorsFormatException(file, what + " has more than 64 numbers");
            }
        }
        expect(p.currentToken(), JsonToken.END_ARRAY, what + " (a list of non-negative integers)", file);
        long[] r = new long[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    private static void expect(JsonToken actual, JsonToken expected, String what, Path file)
            throws SafetensorsFormatException {
        if (actual != expected) {
            throw new SafetensorsFormatException(file, what + ": expected " + describe(expected) + ", found "
                    + (actual == null ? "the end of the header" : describe(actual)));
        }
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_OBJECT:
                return "an object";
            case END_OBJECT:
                return "the end of an object";
            case START_ARRAY:
                return "a list";
            case END_ARRAY:
                return "the end of a list";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
                return "an integer";
            default:
                return t.asString() != null ? "'" + t.asString() + "'" : t.name().toLowerCase();
        }
    }

    /** Sizes and offsets: each tensor's bytes match its shape, and the tensors tile the data exactly. */
    private static void check(List<Entry> entries, long dataLength, Path file) throws SafetensorsFormatException {
        for (Entry e : entries) {
            long bytes;
            try {
                long n = 1;
                for (long s : e.shape) {
                    n = Math.multiplyExact(n, s);
                }
                bytes = Math.multiplyExact(n, e.dtype.size);
            } catch (ArithmeticException overflow) {
                throw new SafetensorsFormatException(file, "tensor \"" + e.name + "\" has shape "
                        + Arrays.toString(e.shape) + ", too many elements to count in 64 bits");
            }
            if (e.end < e.begin) {
                throw new SafetensorsFormatException(file, "tensor \"" + e.name + "\" ends (" + e.end
                        + ") before it begins (" + e.begin + ")");
            }
            if (e.end - e.begin != bytes) {
                throw new SafetensorsFormatException(file, "tensor \"" + e.name + "\" (" + e.dtype + " "
                        + Arrays.toString(e.shape) + ") needs " + bytes + " bytes, its data_offsets ["
                        + e.begin + ", " + e.end + "] hold " + (e.end - e.begin));
            }
            if (e.end > dataLength) {
                throw new SafetensorsFormatException(file, "tensor \"" + e.name + "\" ends at byte " + e.end
                        + " of the data, which has " + dataLength + " bytes (a truncated file?)");
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
        long at = 0;
        for (Entry e : byOffset) {
            if (e.begin < at) {
                throw new SafetensorsFormatException(file, "tensor \"" + e.name + "\" begins at byte " + e.begin
                        + ", inside the data of another tensor (which ends at " + at + ")");
            }
            if (e.begin > at) {
                throw new SafetensorsFormatException(file, "bytes " + at + " to " + e.begin
                        + " of the data belong to no tensor");
            }
            at = e.end;
        }
        if (at != dataLength) {
            throw new SafetensorsFormatException(file, "the data has " + dataLength + " bytes, the tensors cover "
                    + at);
        }
    }

    /**
     * Writes tensors as safetensors' {@code save_file} does: sorted by element size (largest first)
     * then name, so every tensor is aligned; the header padded with spaces to a multiple of 8. The
     * file appears whole or not at all: it is written beside the target and moved over it.
     */
    static void write(Path file, Map<String, TorchTensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, TorchTensor>> sorted = new ArrayList<>(tensors.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<String, TorchTensor> e) -> -e.getValue().dtype.size)
                .thenComparing(Map.Entry::getKey));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, TorchTensor> e : sorted) {
                TorchTensor t = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", t.dtype.name());
                g.writeArrayFieldStart("shape");
                for (long s : t.shape()) {
                    g.writeNumber(s);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                offset += t.byteLength();
                g.writeNumber(offset);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        byte[] header = json.toByteArray();
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(header);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString() + ".", ".partial");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (Map.Entry<String, TorchTensor> e : sorted) {
                    writeFully(ch, e.getValue().bytes());
                }
                ch.force(false);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
