package dev.vigil.schemas.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardTokensTest {

    private static final String SECRET_A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String SECRET_B = Base64.getEncoder().encodeToString("b".repeat(32).getBytes());

    @Test
    void aCardAlwaysGetsTheSameTokenAndATokenIsNotTokenizedAgain() {
        CardTokens tokens = CardTokens.parse("k1 " + SECRET_A, "test");
        String token = tokens.token("4111111111111111");
        assertThat(token).startsWith("tok_k1_").hasSize("tok_k1_".length() + 43).doesNotContain("4111");
        assertThat(tokens.token("4111111111111111")).isEqualTo(token);
        assertThat(tokens.token(token)).isEqualTo(token);
        assertThat(tokens.token("4111111111111112")).isNotEqualTo(token);
        assertThat(tokens.isToken("tok_k9_" + "x".repeat(43))).isFalse(); // not one of these keys
    }

    @Test
    void anotherSecretGivesAnotherTokenAndAnEarlierKeysTokensAreStillRecognised() {
        CardTokens a = CardTokens.parse("k1 " + SECRET_A, "test");
        CardTokens rotated = CardTokens.parse("# rotated\nk2 " + SECRET_B + "\nk1 " + SECRET_A + "\n", "test");
        String old = a.token("card-1");
        assertThat(rotated.currentKeyId()).isEqualTo("k2");
        assertThat(rotated.token("card-1")).startsWith("tok_k2_").isNotEqualTo(old);
        assertThat(rotated.token(old)).isEqualTo(old);
        assertThat(rotated.toString()).contains("k2", "k1").doesNotContain(SECRET_A).doesNotContain(SECRET_B);
    }

    @Test
    void aBadKeyLineIsNamedWithoutItsSecret() {
        String shortSecret = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> CardTokens.parse("k1 " + shortSecret, "card.key"))
                .hasMessageContaining("card.key line 1").hasMessageContaining("at least 32")
                .hasMessageNotContaining(shortSecret);
        assertThatThrownBy(() -> CardTokens.parse("k_1 " + SECRET_A, "card.key")).hasMessageContaining("key id");
        assertThatThrownBy(() -> CardTokens.parse("k1 not-base64!", "card.key")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> CardTokens.parse("k1 " + SECRET_A + "\nk1 " + SECRET_B, "card.key"))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> CardTokens.parse("# nothing\n", "card.key")).hasMessageContaining("no card key");
    }

    @Test
    void aGeneratedKeyFileIsTheOwnersOnlyAndNeverOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/card.key");
        CardTokens.generate(file, "2026-12");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        CardTokens tokens = CardTokens.load(file);
        assertThat(tokens.currentKeyId()).isEqualTo("2026-12");
        assertThat(tokens.token("card-1")).startsWith("tok_2026-12_");
        String before = Files.readString(file);
        assertThatThrownBy(() -> CardTokens.generate(file, "other")).hasMessageContaining("never overwritten");
        assertThat(Files.readString(file)).isEqualTo(before);
    }
}
