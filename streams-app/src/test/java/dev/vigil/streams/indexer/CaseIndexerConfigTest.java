package dev.vigil.streams.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.Topics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaseIndexerConfigTest {

    final CaseIndexerConfig defaults = CaseIndexerConfig.defaults("127.0.0.1:9092", "http://127.0.0.1:8081",
            "http://127.0.0.1:9200");

    @Test
    void defaultsReadVigilsTopicsIntoTheCasesIndexAsTheIndexerGroup() {
        assertThat(defaults.indexName()).isEqualTo("cases");
        assertThat(defaults.groupId()).isEqualTo("vigil-case-indexer");
        assertThat(defaults.scoresTopic()).isEqualTo(Topics.SCORES);
        assertThat(defaults.labelsTopic()).isEqualTo(Topics.LABELS);
        assertThat(defaults.deadLetterTopic()).isEqualTo(Topics.DLQ);
    }

    @Test
    void theBackoffDoublesFromTheInitialWaitUpToTheMaximum() {
        CaseIndexerConfig c = defaults.withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(c.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(c.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(c.backoff(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(c.backoff(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.backoff(10_000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBadValueIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> CaseIndexerConfig.defaults("", "http://r:1", "http://o:1"))
                .hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> CaseIndexerConfig.defaults("b:1", "http://r:1", "o:9200"))
                .hasMessageContaining("opensearch.url");
        assertThatThrownBy(() -> defaults.withIndexName("Cases")).hasMessageContaining("index.name");
        assertThatThrownBy(() -> defaults.withMaxBatch(0)).hasMessageContaining("max.batch");
        assertThatThrownBy(() -> defaults.withTopics("a", "b", "a")).hasMessageContaining("topic.dlq");
        assertThatThrownBy(() -> defaults.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("backoff.max");
        assertThatThrownBy(() -> defaults.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("poll.timeout");
    }
}
