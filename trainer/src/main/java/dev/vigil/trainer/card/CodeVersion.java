package dev.vigil.trainer.card;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The code a model was built with: the git commit of the checkout (read-only: {@code git rev-parse HEAD} and
 * {@code git status --porcelain}), whether the working tree had uncommitted changes, and the project version. Where
 * git or the repository is absent, the commit is null and the card says so.
 *
 * @param gitCommit full commit id, or null when unknown
 * @param dirty true when tracked or untracked files differed from the commit; null when unknown
 * @param projectVersion the Maven version of the trainer, or null when not packaged
 */
public record CodeVersion(String gitCommit, Boolean dirty, String projectVersion) {

    /**
     * Reads the version of the repository at {@code vigil.home} (set by the launcher) or else the working
     * directory.
     */
    public static CodeVersion detect() {
        String home = System.getProperty("vigil.home");
        Path root = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        String version = CodeVersion.class.getPackage().getImplementationVersion();
        String commit = git(root, "rev-parse", "HEAD");
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            return new CodeVersion(null, null, version);
        }
        String status = git(root, "status", "--porcelain");
        return new CodeVersion(commit, status == null ? null : !status.isBlank(), version);
    }

    private static String git(Path root, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = root.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** "abc1234 (uncommitted changes)" or "unknown". */
    public String describe() {
        if (gitCommit == null) {
            return "unknown (no git checkout)";
        }
        return gitCommit + (Boolean.TRUE.equals(dirty) ? " (with uncommitted changes)" : "");
    }
}
