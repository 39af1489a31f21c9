package dev.vigil.streams.state;

import dev.vigil.model.features.CardHistory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The card state store's value serde: {@link CardHistory#encode()} / {@link CardHistory#decode(byte[])}, a versioned
 * compact binary form (typically under 1 KB per card). A value this code cannot read fails with a
 * {@link SerializationException} naming the reason, never silently as an empty history.
 */
public final class CardHistorySerde implements Serde<CardHistory> {

    @Override
    public Serializer<CardHistory> serializer() {
        return (topic, history) -> history == null ? null : history.encode();
    }

    @Override
    public Deserializer<CardHistory> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return CardHistory.decode(bytes);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("cannot read a card state value of " + bytes.length + " bytes: "
                        + e.getMessage(), e);
            }
        };
    }
}
