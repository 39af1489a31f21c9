package dev.vigil.schemas.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

    /** FIPS 180-2's example: SHA-256("abc"). */
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void bytesTextAndFilesHashToTheStandardsValues(@TempDir Path dir) throws Exception {
        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
        assertThat(Sha256.hex("abc")).isEqualTo(ABC);
        assertThat(Sha256.hex(new byte[0])).isEqualTo(EMPTY);
        assertThat(Sha256.hexOfFile(Files.writeString(dir.resolve("abc.txt"), "abc"))).isEqualTo(ABC);
        assertThat(Sha256.digest("abc".getBytes(StandardCharsets.US_ASCII))).hasSize(32);
    }

    @Test
    void aFileLargerThanOneReadHashesAsItsBytes(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[(1 << 16) * 3 + 17];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("big.bin"), bytes);
        assertThat(Sha256.hexOfFile(file)).isEqualTo(Sha256.hex(bytes));
    }

    @Test
    void consecutiveDigestsOnOneThreadDoNotMix() {
        String first = Sha256.hex("one");
        Sha256.hex("two");
        assertThat(Sha256.hex("one")).isEqualTo(first);
    }
}
