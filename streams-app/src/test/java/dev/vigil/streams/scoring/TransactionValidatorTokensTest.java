package dev.vigil.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.features.Payment;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.cards.CardTokens;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.streams.FakeSchemaRegistry;
import dev.vigil.streams.ScoringDriver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The door with card tokens: the payment it hands on, and what a dead letter may keep of a record. */
class TransactionValidatorTokensTest {

    private static final String CARD = "4111111111111111";
    private final CardTokens tokens = CardTokens.parse("k1 " + Base64.getEncoder().encodeToString(new byte[32]), "t");
    private FakeSchemaRegistry fakeRegistry;
    private SchemaRegistryClient registry;

    @BeforeEach
    void start() throws Exception {
        fakeRegistry = new FakeSchemaRegistry();
        registry = new SchemaRegistryClient(fakeRegistry.url());
    }

    @AfterEach
    void stop() {
        fakeRegistry.close();
    }

    @Test
    void thePaymentCarriesTheTokenAndADeadLetterKeepsTheTransactionWithIt() throws Exception {
        Transaction t = ScoringDriver.payment("t-1", CARD, 5);
        byte[] value = new AvroSerde<>(Transaction.class, registry, true).encode("tx", t);
        TransactionValidator validator = new TransactionValidator(new AvroSerde<>(Transaction.class, registry, false),
                "tx", TransactionValidator.Limits.defaults(), tokens);

        Payment p = validator.validate(CARD.getBytes(StandardCharsets.UTF_8), value, Instant.now());
        assertThat(p.cardId()).isEqualTo(tokens.token(CARD));

        TransactionValidator.Redacted kept = validator.redact(CARD.getBytes(StandardCharsets.UTF_8), value);
        assertThat(new String(kept.key(), StandardCharsets.UTF_8)).isEqualTo(tokens.token(CARD));
        Transaction read = new AvroSerde<>(Transaction.class, registry, false).decode("tx", kept.value());
        assertThat(read.getCardId()).isEqualTo(tokens.token(CARD));
        assertThat(read.getTransactionId()).isEqualTo("t-1");
        assertThat(kept.note()).isNull();
        // bytes that are no transaction are kept as they came; without tokens nothing changes
        assertThat(validator.redact(null, "not avro".getBytes(StandardCharsets.UTF_8)).value())
                .isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
        TransactionValidator clear = new TransactionValidator(new AvroSerde<>(Transaction.class, registry, false),
                "tx", TransactionValidator.Limits.defaults());
        assertThat(clear.redact(CARD.getBytes(StandardCharsets.UTF_8), value).value()).isEqualTo(value);
    }

    @Test
    void aTransactionThatCannotBeWrittenBackIsWithheldNeverKeptInClear() throws Exception {
        byte[] value = new AvroSerde<>(Transaction.class, registry, true).encode("tx",
                ScoringDriver.payment("t-2", CARD, 5));
        // the scorer's own registry client, with nothing cached
        TransactionValidator validator = new TransactionValidator(new AvroSerde<>(Transaction.class,
                new SchemaRegistryClient(fakeRegistry.url()), false), "tx", TransactionValidator.Limits.defaults(),
                tokens);
        validator.validate(CARD.getBytes(StandardCharsets.UTF_8), value, Instant.now()); // its writer schema is known
        fakeRegistry.close(); // and then the registry is away: the schema to write it back with cannot be looked up
        TransactionValidator.Redacted kept = validator.redact(CARD.getBytes(StandardCharsets.UTF_8), value);
        assertThat(kept.value()).isNull();
        assertThat(kept.note()).contains("withheld").contains("still on the input topic").doesNotContain(CARD);
        assertThat(new String(kept.key(), StandardCharsets.UTF_8)).isEqualTo(tokens.token(CARD));
    }
}
