package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.cards.CardTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizingSinkTest {

    @TempDir
    Path dir;

    @Test
    void aReplayAskedToPublishesTokensForTheTransactionsAndTheirChargebacks() throws Exception {
        CardTokens tokens = CardTokens.parse("k1 " + java.util.Base64.getEncoder().encodeToString(new byte[32]), "test");
        Path csv = Rows.write(dir.resolve("history.csv"), List.of(
                Rows.row("t1", 0, "4111111111111111", 1),
                Rows.row("t2", 5, "4222222222222222", 0),
                Rows.row("t3", 10, "4111111111111111", 0)));
        RecordingSink recorded = new RecordingSink();
        new TransactionReplayer(new TokenizingSink(recorded, tokens), ReplayOptions.defaults().withCardholderReports(CardholderReports.none())
                .withLabelDelay(Duration.ofMinutes(1)), ReplayProgress.SILENT).replay(csv, new BadRowLog());

        assertThat(recorded.transactions()).extracting(t -> t.getCardId()).containsExactly(
                tokens.token("4111111111111111"), tokens.token("4222222222222222"), tokens.token("4111111111111111"));
        assertThat(recorded.labels()).singleElement().satisfies(l -> {
            assertThat(l.getTransactionId()).isEqualTo("t1");
            assertThat(l.getCardId()).isEqualTo(tokens.token("4111111111111111"));
        });
        // labels only: the transactions pass as they are (the scorer tokenizes them at its door)
        RecordingSink labelsOnly = new RecordingSink();
        new TransactionReplayer(TokenizingSink.labels(labelsOnly, tokens), ReplayOptions.defaults().withCardholderReports(CardholderReports.none())
                .withLabelDelay(Duration.ofMinutes(1)), ReplayProgress.SILENT).replay(csv, new BadRowLog());
        assertThat(labelsOnly.transactions()).extracting(t -> t.getCardId())
                .containsExactly("4111111111111111", "4222222222222222", "4111111111111111");
        assertThat(labelsOnly.labels()).extracting(l -> l.getCardId())
                .containsExactly(tokens.token("4111111111111111"));
    }
}
