package dev.vigil.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CardHistorySerdeTest {

    private final CardHistorySerde serde = new CardHistorySerde();

    @Test
    void aCardStateSurvivesTheStateStore() {
        CardHistory h = FeatureEncoder.standard().emptyHistory();
        h.update(new Payment("t1", Instant.parse("2026-03-02T10:00:00Z"), "c", "m", 1250, "EUR", "grocery", "FR",
                "card_present", null, 48.85, 2.35));
        byte[] bytes = serde.serializer().serialize("card-state", h);
        assertThat(serde.deserializer().deserialize("card-state", bytes)).isEqualTo(h);
        assertThat(serde.serializer().serialize("card-state", null)).isNull();
        assertThat(serde.deserializer().deserialize("card-state", null)).isNull();
    }

    @Test
    void aValueOfAnotherFormatIsASerializationError() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("card-state", new byte[] {42, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 42");
    }
}
