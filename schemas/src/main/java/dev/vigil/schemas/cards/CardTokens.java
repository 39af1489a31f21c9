package dev.vigil.schemas.cards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Card ids turned into tokens at the door: {@code tok_<key id>_<HMAC-SHA-256 of the card id, base64url>}, keyed by a
 * secret that never leaves the process. The same card id always gives the same token under the same key, so card
 * state, context, scores, labels and the feedback loop work on tokens exactly as they did on card ids, and no one who
 * reads a topic, a store, the index or a log can go back from a token to the card without the key.
 *
 * <h2>Keys</h2>
 * A key file (or the environment variable {@value #ENV}) holds one key per line, {@code <key id> <base64 secret>}
 * (the secret at least 32 bytes; {@code #} starts a comment). The first key makes new tokens; the others are earlier
 * keys whose tokens are still recognised, so that a token is never tokenized again (tokenizing is idempotent). To
 * rotate: put a new key first and keep the old one below it. A card then gets a new token: its history under the old
 * token is not carried over (state, context and labels follow the token), so rotate rarely, and at a quiet time.
 * {@link #generate} writes a new key file, readable by its owner only. Keys are never logged: {@link #toString}
 * names the key ids only.
 *
 * <p>Thread-safe.
 */
public final class CardTokens {

    /** The environment variable that may hold the key lines instead of a file. */
    public static final String ENV = "VIGIL_CARD_KEY";
    public static final String PREFIX = "tok_";
    static final int MIN_SECRET_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9-]{1,32}");
    private static final int DIGEST_CHARS = 43; // 32 bytes, base64url without padding
    private static final String ALGORITHM = "HmacSHA256";

    private final String currentId;
    private final Map<String, SecretKeySpec> keys;
    private final ThreadLocal<Mac> mac;

    private CardTokens(Map<String, byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no card key: a key file holds lines of '<key id> <base64 secret>'");
        }
        this.keys = new LinkedHashMap<>();
        keys.forEach((id, secret) -> this.keys.put(id, new SecretKeySpec(secret, ALGORITHM)));
        this.currentId = keys.keySet().iterator().next();
        SecretKeySpec current = this.keys.get(currentId);
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance(ALGORITHM);
                m.init(current);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA-256 is not available", e);
            }
        });
    }

    /** The keys of a key file; an IllegalArgumentException names the line that is wrong (never the secret). */
    public static CardTokens load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The keys of {@value #ENV}, or null when it is not set. */
    public static CardTokens fromEnvironment() {
        String lines = System.getenv(ENV);
        return lines == null || lines.isBlank() ? null : parse(lines, "$" + ENV);
    }

    /** Where {@code ./vigil cards keygen} and the demo put the key by default. */
    public static final Path DEFAULT_FILE = Path.of(".vigil", "keys", "card.key");

    /**
     * The keys a command uses: {@code file} when given, else {@value #ENV}, else {@link #DEFAULT_FILE} when it exists;
     * null when there are none (card ids then pass in clear).
     */
    public static CardTokens resolve(Path file) throws IOException {
        if (file != null) {
            return load(file);
        }
        CardTokens env = fromEnvironment();
        if (env != null) {
            return env;
        }
        return Files.isRegularFile(DEFAULT_FILE) ? load(DEFAULT_FILE) : null;
    }

    /** The keys of key lines as a key file holds them; {@code source} names them in errors. */
    public static CardTokens parse(String text, String source) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = source + " line " + (i + 1);
            if (parts.length != 2 || !KEY_ID.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException(where + ": expected '<key id> <base64 secret>', the key id of 1 to 32 "
                        + "letters, digits or '-'");
            }
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": the secret of key " + parts[0] + " is not base64");
            }
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException(where + ": the secret of key " + parts[0] + " has " + secret.length
                        + " bytes, at least " + MIN_SECRET_BYTES + " are needed");
            }
            if (keys.putIfAbsent(parts[0], secret) != null) {
                throw new IllegalArgumentException(where + ": key id " + parts[0] + " appears twice");
            }
        }
        return new CardTokens(keys);
    }

    /** Writes a new key file with one random 32-byte key named {@code keyId}, readable by its owner only. */
    public static void generate(Path file, String keyId) throws IOException {
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("key id must be 1 to 32 letters, digits or '-': " + keyId);
        }
        byte[] secret = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file + " exists: a card key is never overwritten (its tokens would "
                    + "no longer match)");
        }
        Files.writeString(file, "# Vigil card key: <key id> <base64 secret>; the first line makes new tokens\n" + keyId
                + " " + Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.UTF_8);
    }

    /** The token of a card id; a token of one of these keys is returned as it is. */
    public String token(String cardId) {
        if (isToken(cardId)) {
            return cardId;
        }
        byte[] digest = mac.get().doFinal(cardId.getBytes(StandardCharsets.UTF_8));
        return PREFIX + currentId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** Whether {@code s} is a token made with one of these keys. */
    public boolean isToken(String s) {
        if (s == null || !s.startsWith(PREFIX)) {
            return false;
        }
        int sep = s.indexOf('_', PREFIX.length());
        return sep > 0 && keys.containsKey(s.substring(PREFIX.length(), sep))
                && s.length() - sep - 1 == DIGEST_CHARS;
    }

    /** The id of the key that makes new tokens. */
    public String currentKeyId() {
        return currentId;
    }

    /** Every key id, the current one first. */
    public List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    @Override
    public String toString() {
        return "CardTokens[keys " + keyIds() + "]";
    }
}
