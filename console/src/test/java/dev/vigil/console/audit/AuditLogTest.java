package dev.vigil.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void eachActionIsOneJsonLineWithWhoAndWhenAndTheFileIsAppendedTo() throws Exception {
        Path file = dir.resolve("console/audit.log");
        Clock clock = Clock.fixed(Instant.parse("2026-01-24T10:00:00Z"), ZoneOffset.UTC);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("transactionId", "t-1");
        details.put("verdict", "fraud");
        details.put("note", "a \"quoted\"\nline");
        try (AuditLog log = new AuditLog(file, clock)) {
            log.record("alice", "label", details);
        }
        try (AuditLog log = new AuditLog(file, clock)) {
            log.record("bob", "rollback", Map.of("version", "1", "sequence", 7));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.path("time").asText()).isEqualTo("2026-01-24T10:00:00Z");
        assertThat(first.path("analyst").asText()).isEqualTo("alice");
        assertThat(first.path("action").asText()).isEqualTo("label");
        assertThat(first.path("note").asText()).isEqualTo("a \"quoted\"\nline");
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.path("analyst").asText()).isEqualTo("bob");
        assertThat(second.path("sequence").asLong()).isEqualTo(7);
    }
}
