package dev.vigil.console.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The console's users: one line per user, {@code name:iterations:saltBase64:hashBase64}, the hash
 * PBKDF2WithHmacSHA256 of the password with that salt and iteration count (blank lines and {@code #} comments are
 * skipped). Verification compares in constant time and spends the same work on an unknown name as on a known one,
 * so timing tells no one which names exist. Immutable; thread-safe.
 */
public final class Users {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Below this a file line is refused: a hash that cheap is no protection. */
    public static final int MIN_ITERATIONS = 10_000;
    /** Above this a file line is refused: one sign-in must not cost minutes of CPU. */
    public static final int MAX_ITERATIONS = 10_000_000;
    public static final int SALT_BYTES = 16;
    public static final int HASH_BYTES = 32;
    public static final int MAX_PASSWORD_CHARS = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One user's stored credential. */
    public record Entry(String name, int iterations, byte[] salt, byte[] hash) {
        public Entry {
            checkName(name);
            if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("iterations must be in [" + MIN_ITERATIONS + ", " + MAX_ITERATIONS
                        + "], got " + iterations);
            }
            if (salt.length < 8 || salt.length > 64) {
                throw new IllegalArgumentException("salt must be 8 to 64 bytes, got " + salt.length);
            }
            if (hash.length != HASH_BYTES) {
                throw new IllegalArgumentException("hash must be " + HASH_BYTES + " bytes, got " + hash.length);
            }
            salt = salt.clone();
            hash = hash.clone();
        }

        /** The file line. */
        public String line() {
            Base64.Encoder b64 = Base64.getEncoder();
            return name + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
        }

        @Override
        public String toString() {
            return "Entry[" + name + "]"; // never the hash
        }
    }

    /** A users file that cannot be read as one; the message names the line. */
    public static final class FileException extends IOException {
        public FileException(String message) {
            super(message);
        }
    }

    private final Map<String, Entry> entries;
    private final Entry decoy;

    private Users(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
        // an unknown name costs the same work as a known one (the users' own iteration count)
        int iterations = entries.values().stream().mapToInt(Entry::iterations).max().orElse(MIN_ITERATIONS);
        this.decoy = create("decoy", "decoy".toCharArray(), iterations);
    }

    public static Users of(List<Entry> entries) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (byName.put(e.name(), e) != null) {
                throw new IllegalArgumentException("user " + e.name() + " is listed twice");
            }
        }
        return new Users(byName);
    }

    /** Reads a users file; a bad line fails with its number and what is wrong with it (never its content). */
    public static Users load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileException("users file " + file + " does not exist (create it with ./vigil console users "
                    + "add NAME --users " + file + ")");
        }
        return of(parse(file, Files.readAllLines(file, StandardCharsets.UTF_8)));
    }

    static List<Entry> parse(Path file, List<String> lines) throws FileException {
        List<Entry> entries = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] parts = line.split(":", -1);
            if (parts.length != 4) {
                throw new FileException(where + ": expected name:iterations:saltBase64:hashBase64 (4 fields), got "
                        + parts.length);
            }
            try {
                int iterations = Integer.parseInt(parts[1]);
                Entry e = new Entry(parts[0], iterations, Base64.getDecoder().decode(parts[2]),
                        Base64.getDecoder().decode(parts[3]));
                if (!names.add(e.name())) {
                    throw new FileException(where + ": user " + e.name() + " is listed twice");
                }
                entries.add(e);
            } catch (NumberFormatException e) {
                throw new FileException(where + ": iterations is not a number");
            } catch (IllegalArgumentException e) {
                throw new FileException(where + ": " + e.getMessage());
            }
        }
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<String> names() {
        return entries.keySet().stream().sorted().toList();
    }

    /** The user's name when the password is theirs. Wipes nothing: the caller owns the array. */
    public Optional<String> verify(String name, char[] password) {
        Entry e = name == null ? null : entries.get(name);
        Entry against = e != null ? e : decoy;
        if (password == null || password.length > MAX_PASSWORD_CHARS) {
            return Optional.empty();
        }
        byte[] computed = pbkdf2(password, against.salt, against.iterations);
        boolean same = MessageDigest.isEqual(computed, against.hash);
        return same && e != null ? Optional.of(e.name()) : Optional.empty();
    }

    /** A new credential with a fresh random salt. */
    public static Entry create(String name, char[] password, int iterations) {
        checkName(name);
        if (password.length == 0 || password.length > MAX_PASSWORD_CHARS) {
            throw new IllegalArgumentException("a password must be 1 to " + MAX_PASSWORD_CHARS + " characters");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new Entry(name, iterations, salt, pbkdf2(password, salt, iterations));
    }

    /**
     * Adds the user to the file, or replaces their line (a new password); the file is written whole to a temporary
     * file beside it (owner read/write only where the file system has POSIX permissions) and moved into place.
     */
    public static void addOrReplace(Path file, Entry entry) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            List<String> old = Files.readAllLines(file, StandardCharsets.UTF_8);
            parse(file, old); // refuse to rewrite a file that is already broken
            for (String l : old) {
                if (!l.strip().startsWith(entry.name() + ":")) {
                    lines.add(l);
                }
            }
        }
        lines.add(entry.line());
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".users", ".tmp");
        try {
            ownerOnly(tmp);
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Owner read/write only, where the file system knows POSIX permissions. */
    public static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own ACLs apply
        }
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a user name is 1 to 64 of A-Z a-z 0-9 . _ -");
        }
    }

    static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Wipes a password array the caller no longer needs. */
    public static void wipe(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
