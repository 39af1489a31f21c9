package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
                "kafka", "schema-registry", "opensearch", "topics", "streams-app", "feedback-rl", "console");
    }

    @Test
    void everyPublishedPortIsOnLoopbackAndEachKeyIsOnlyWhereItIsUsed() throws Exception {
        Result result = run(command("-f", COMPOSE_FILE.toString(), "--profile", "train", "config"),
                COMPOSE_FILE.getParent());
        assertThat(result.exitCode).as(result.output).isZero();
        assertSafeOnTheHost(services(result.output));
    }

    @Test
    void theSecuredDeploymentTakesKafkaOnlyOverSaslSslAndGivesEveryVigilServiceItsClientFiles(@TempDir Path dir)
            throws Exception {
        // the secrets an operator provides (README.md): present, empty here, so that the files resolve
        Files.copy(COMPOSE_FILE, dir.resolve("docker-compose.yml"));
        Files.copy(COMPOSE_FILE.resolveSibling("docker-compose.secured.yml"), dir.resolve("docker-compose.secured.yml"));
        Files.createDirectories(dir.resolve("secrets/kafka"));
        Files.createDirectories(dir.resolve("secrets/opensearch"));
        for (String env : List.of("kafka.env", "registry.env", "opensearch.env")) {
            Files.writeString(dir.resolve("secrets").resolve(env), "");
        }
        Result result = run(command("-f", "docker-compose.yml", "-f", "docker-compose.secured.yml", "config"), dir);
        assertThat(result.exitCode).as(result.output).isZero();
        Map<String, String> services = services(result.output);
        assertSafeOnTheHost(services);
        assertThat(services.get("kafka")).contains("SASL_SSL://:9094").contains("SASL_SSL:SASL_SSL")
                .contains("KAFKA_SASL_ENABLED_MECHANISMS: PLAIN");
        assertThat(services.get("schema-registry")).contains("SCHEMA_REGISTRY_KAFKASTORE_SECURITY_PROTOCOL: SASL_SSL")
                .contains("SCHEMA_REGISTRY_AUTHENTICATION_METHOD: BASIC");
        assertThat(services.get("opensearch")).containsPattern("DISABLE_SECURITY_PLUGIN: ['\"]?false");
        for (String vigil : List.of("topics", "streams-app", "feedback-rl", "console")) {
            assertThat(services.get(vigil)).as(vigil)
                    .contains("VIGIL_BOOTSTRAP_SERVERS: kafka:9094")
                    .contains("VIGIL_KAFKA_CONFIG: /run/secrets/vigil/client.properties")
                    .contains("VIGIL_SCHEMA_REGISTRY_CONFIG: /run/secrets/vigil/registry-access.properties")
                    .contains("VIGIL_OPENSEARCH_CONFIG: /run/secrets/vigil/opensearch-access.properties")
                    .contains("/secrets/client.properties");
        }
    }

    /** Every published port on 127.0.0.1; the signing key only in feedback-rl, the card key only in the scorer. */
    private static void assertSafeOnTheHost(Map<String, String> services) {
        assertThat(services).containsKeys("kafka", "schema-registry", "opensearch", "streams-app", "console");
        int published = 0;
        for (Map.Entry<String, String> service : services.entrySet()) {
            String block = service.getValue();
            // short syntax (Compose 1: "- 127.0.0.1:9200:9200/tcp") or long syntax (Compose 2: host_ip, published)
            for (String port : ports(block)) {
                published++;
                if (port.contains("published:")) {
                    assertThat(port).as(service.getKey() + ": " + port).containsPattern("host_ip: ['\"]?127\\.0\\.0\\.1");
                } else {
                    assertThat(port).as(service.getKey() + ": " + port).matches("['\"]?127\\.0\\.0\\.1:.*");
                }
            }
            // the key file itself, or the whole secrets folder (which holds it)
            boolean signingKey = block.contains("/secrets/adapters.key")
                    || java.util.regex.Pattern.compile("(?m)(- |source: )\\S*/secrets/?(:|$)").matcher(block).find();
            assertThat(signingKey).as(service.getKey() + " mounts the adapter signing key")
                    .isEqualTo(service.getKey().equals("feedback-rl"));
            assertThat(block.contains("/secrets/card.key")).as(service.getKey() + " mounts the card key")
                    .isEqualTo(service.getKey().equals("streams-app"));
        }
        assertThat(published).as("ports found in the configuration").isGreaterThanOrEqualTo(5);
    }

    /**
     * The published ports of a service block: each short-syntax item's text, or each long-syntax item's lines joined.
     */
    private static List<String> ports(String block) {
        List<String> out = new ArrayList<>();
        List<String> lines = block.lines().toList();
        int at = lines.indexOf("    ports:");
        if (at < 0) {
            return out;
        }
        List<String> rest = lines.subList(at + 1, lines.size());
        String itemStart = rest.isEmpty() ? "" : rest.get(0).substring(0, rest.get(0).indexOf('-') + 2);
        StringBuilder item = null;
        for (String line : rest) {
            if (!itemStart.isBlank() && line.startsWith(itemStart) && line.indexOf('-') == itemStart.length() - 2) {
                if (item != null) {
                    out.add(item.toString().trim());
                }
                item = new StringBuilder(line.substring(itemStart.length()));
            } else if (item != null && line.startsWith(" ".repeat(itemStart.length()))) {
                item.append(' ').append(line.trim());
            } else {
                break;
            }
        }
        if (item != null) {
            out.add(item.toString().trim());
        }
        return out;
    }

    /** Each service's block of a {@code config} output, by name. */
    private static Map<String, String> services(String config) {
        String rest = config.substring(config.indexOf("\nservices:") + "\nservices:".length());
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("\n[a-z]").matcher(rest);
        rest = end.find() ? rest.substring(0, end.start()) : rest;
        Map<String, String> out = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher start = java.util.regex.Pattern.compile("\n  ([a-z][a-z-]*):").matcher(rest);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (start.find()) {
            names.add(start.group(1));
            spans.add(new int[] {start.start()});
        }
        for (int i = 0; i < names.size(); i++) {
            int to = i + 1 < names.size() ? spans.get(i + 1)[0] : rest.length();
            out.put(names.get(i), rest.substring(spans.get(i)[0], to));
        }
        return out;
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
