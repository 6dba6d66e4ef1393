package io.github.dl4jinit.examples.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataSourceTest {
    @TempDir
    Path tmp;

    @Test
    void readsPlainAndGzippedFolders() throws IOException {
        for (boolean gz : new boolean[]{false, true}) {
            Path dir = tmp.resolve("data-" + gz);
            IdxFiles.writeFolder(dir, 30, 12, gz);
            DataSource ds = DataSource.fromFolder(dir, "t", "test");
            assertThat(ds.train().size()).isEqualTo(30);
            assertThat(ds.test().size()).isEqualTo(12);
            assertThat(ds.train().labels()[13]).isEqualTo(3);
            // pixel 5 of image 2 is (5 + 14) / 255
            assertThat(ds.train().pixels()[2 * 784 + 5]).isEqualTo(19 / 255f);
        }
    }

    @Test
    void mixedPlainAndGzipAndGzipDetectedByContent() throws IOException {
        Path dir = tmp.resolve("mixed");
        IdxFiles.writeFolder(dir, 10, 10, false);
        // a gzipped file without the .gz suffix is still read: the magic bytes decide
        Files.write(dir.resolve(DataSource.TRAIN_IMAGES), IdxFiles.gzip(IdxFiles.images(10)));
        assertThat(DataSource.fromFolder(dir, "t", "t").train().size()).isEqualTo(10);
    }

    @Test
    void folderIsNeverModified() throws IOException {
        Path dir = tmp.resolve("gz");
        IdxFiles.writeFolder(dir, 20, 10, true);
        Map<String, String> before = snapshot(dir);
        DataSource.fromFolder(dir, "t", "t");
        assertThat(snapshot(dir)).isEqualTo(before);
    }

    @Test
    void shippedSubsetIsRealFashionMnist() {
        DataSource ds = DataSource.shippedSubset();
        assertThat(ds.train().size()).isEqualTo(4000);
        assertThat(ds.test().size()).isEqualTo(1000);
        int[] counts = new int[10];
        for (int l : ds.train().labels()) {
            counts[l]++;
        }
        assertThat(Arrays.stream(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(300, 500));
        assertThat(ds.description()).contains("subset");
    }

    @Test
    void withoutDataFallsBackToDebianThenToTheShippedSubset() throws IOException {
        // a fresh machine without Debian's package: the subset in the jar
        DataSource fresh = DataSource.resolve(null, tmp.resolve("not-installed"));
        assertThat(fresh.description()).isEqualTo("Fashion-MNIST subset shipped in the jar");
        assertThat(fresh.train().size()).isEqualTo(4000);
        // an incomplete installation is not used either
        Path partial = tmp.resolve("partial");
        IdxFiles.writeFolder(partial, 10, 10, true);
        Files.delete(partial.resolve(DataSource.TEST_IMAGES + ".gz"));
        assertThat(DataSource.resolve(null, partial).description()).contains("subset");
        // the package installed: its files
        Path debian = tmp.resolve("debian");
        IdxFiles.writeFolder(debian, 12, 10, true);
        DataSource installed = DataSource.resolve(null, debian);
        assertThat(installed.description()).startsWith("Fashion-MNIST, full (Debian package");
        assertThat(installed.train().size()).isEqualTo(12);
        // --data wins over both
        Path user = tmp.resolve("user");
        IdxFiles.writeFolder(user, 14, 10, false);
        assertThat(DataSource.resolve(user, debian).train().size()).isEqualTo(14);
    }

    @Test
    void missingFolder() {
        Path dir = tmp.resolve("nope");
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining(dir.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void dataPathIsAFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("file.txt"), "x");
        assertThatThrownBy(() -> DataSource.fromFolder(f, "t", "t"))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining(f.toString()).hasMessageContaining("not a folder");
    }

    @Test
    void missingFile() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, false);
        Files.delete(dir.resolve(DataSource.TEST_LABELS));
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(dir.resolve(DataSource.TEST_LABELS).toString()).hasMessageContaining("not found");
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, false);
        // labels where images belong
        Files.write(dir.resolve(DataSource.TRAIN_IMAGES), IdxFiles.labels(10));
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(dir.resolve(DataSource.TRAIN_IMAGES).toString())
                .hasMessageContaining("wrong magic number 0x00000801, expected 0x00000803");
    }

    @Test
    void truncatedPlainFile() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, false);
        byte[] full = IdxFiles.images(10);
        Files.write(dir.resolve(DataSource.TEST_IMAGES), Arrays.copyOf(full, full.length - 100));
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(dir.resolve(DataSource.TEST_IMAGES).toString())
                .hasMessageContaining("truncated: 7740 data bytes, the header announces 7840");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, false);
        Files.write(dir.resolve(DataSource.TRAIN_LABELS), new byte[]{0, 0, 8});
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(DataSource.TRAIN_LABELS).hasMessageContaining("too short for an IDX header");
    }

    @Test
    void trailingBytes() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, false);
        byte[] full = IdxFiles.labels(10);
        Files.write(dir.resolve(DataSource.TRAIN_LABELS), Arrays.copyOf(full, full.length + 3));
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining("3 unexpected bytes");
    }

    @Test
    void truncatedGzip() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, true);
        byte[] gz = IdxFiles.gzip(IdxFiles.images(10));
        Path f = dir.resolve(DataSource.TRAIN_IMAGES + ".gz");
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining(f.toString()).hasMessageContaining("truncated gzip");
    }

    @Test
    void corruptGzip() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, true);
        byte[] gz = IdxFiles.gzip(IdxFiles.images(10));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] = (byte) (gz[i] ^ 0x5a);
        }
        Path f = dir.resolve(DataSource.TRAIN_IMAGES + ".gz");
        Files.write(f, gz);
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining(f.toString()).hasMessageContaining("gzip");
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, false);
        Files.write(dir.resolve(DataSource.TRAIN_LABELS), IdxFiles.labels(9));
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(dir.resolve(DataSource.TRAIN_IMAGES).toString())
                .hasMessageContaining("10 images but").hasMessageContaining("holds 9 labels");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path dir = tmp.resolve("d");
        IdxFiles.writeFolder(dir, 10, 10, false);
        byte[] labels = IdxFiles.labels(10);
        labels[8 + 4] = 42;
        Files.write(dir.resolve(DataSource.TEST_LABELS), labels);
        assertThatThrownBy(() -> DataSource.fromFolder(dir, "t", "t"))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining("label 42 at index 4 is out of range");
    }

    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p)
                        + "#" + Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return m;
    }
}
