package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void acceptsKafkaLegalNames() {
        assertThat(TopicSpec.of("payments.transactions", 6)).isEqualTo(new TopicSpec("payments.transactions", 6, false));
        assertThat(TopicSpec.compacted("fraud.adapters", 1).compacted()).isTrue();
        assertThat(TopicSpec.of("a_b-C.9", 1).name()).isEqualTo("a_b-C.9");
    }

    @Test
    void rejectsIllegalNamesWithTheRule() {
        for (String bad : new String[] {"", ".", "..", "has space", "slash/topic", "x".repeat(250)}) {
            assertThatThrownBy(() -> TopicSpec.of(bad, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[a-zA-Z0-9._-]");
        }
        assertThatThrownBy(() -> new TopicSpec(null, 1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsFewerThanOnePartition() {
        assertThatThrownBy(() -> TopicSpec.of("t", 0)).hasMessageContaining("partitions must be at least 1");
    }
}
