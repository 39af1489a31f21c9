package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production-like deployment cannot run here (no Docker engine), but the Compose CLI validates the file:
 * `docker compose config` where the v2 plugin exists, else Debian's `docker-compose config` (./vigil test installs it).
 */
class DockerComposeConfigTest {

    private static final Path COMPOSE_FILE = repositoryRoot().resolve("docker-compose.yml");
    private static List<String> compose;

    @BeforeAll
    static void findComposeCli() throws Exception {
        if (run(List.of("docker", "compose", "version"), null).exitCode == 0) {
            compose = List.of("docker", "compose");
        } else if (run(List.of("docker-compose", "version"), null).exitCode == 0) {
            compose = List.of("docker-compose");
        } else {
            throw new IllegalStateException("neither `docker compose` nor `docker-compose` is installed: "
                    + "run the tests with ./vigil test, which installs Debian's docker-compose");
        }
    }

    @Test
    void theDeploymentFileIsValidAndDefinesEveryService() throws Exception {
        Result result = run(command("-f", COMPOSE_FILE.toString(), "config", "--services"), COMPOSE_FILE.getParent());
        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output.lines().map(String::trim).toList()).contains(
                "kafka", "schema-registry", "opensearch", "topics", "streams-app", "feedback-rl");
    }

    @Test
    void theTrainerIsAOneShotJobBuiltFromThisRepository() throws Exception {
        Result result = run(command("-f", COMPOSE_FILE.toString(), "--profile", "train", "config"),
                COMPOSE_FILE.getParent());
        assertThat(result.exitCode).as(result.output).isZero();
        String trainer = result.output.substring(result.output.indexOf("\n  trainer:"));
        trainer = trainer.substring(0, nextService(trainer));
        assertThat(trainer).contains("target: trainer").containsPattern("restart: ['\"]?no['\"]?\\s");
    }

    @Test
    void theValidationRejectsABrokenFile(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("docker-compose.yml");
        String text = Files.readString(COMPOSE_FILE).replace("    depends_on:\n      kafka:\n        condition: service_healthy",
                "    depends_on: 42");
        Files.writeString(broken, text);
        assertThat(text).contains("depends_on: 42");
        Result result = run(command("-f", broken.toString(), "config", "-q"), dir);
        assertThat(result.exitCode).as(result.output).isNotZero();
    }

    /** Where the service block starting at 0 ends: the next line indented by exactly two spaces, or the end. */
    private static int nextService(String block) {
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("\n  [a-z]").matcher(block);
        return next.find(1) ? next.start() : block.length();
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(args));
        return command;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Path workDir) throws IOException, InterruptedException {
        Path log = Files.createTempFile("compose", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException notInstalled) {
            return new Result(127, notInstalled.getMessage());
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(124, Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out)");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
