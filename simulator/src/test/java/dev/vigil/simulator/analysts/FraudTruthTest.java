package dev.vigil.simulator.analysts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.simulator.replay.BadRowLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FraudTruthTest {

    @TempDir
    Path dir;

    @Test
    void knowsTheFraudTransactionsAndTakesEveryOtherAsGenuine() throws IOException {
        Path csv = Files.writeString(dir.resolve("l.csv"), "transaction_id,event_time,card_id,merchant_id,amount,label\n"
                + "t1,2026-02-01T00:00:00Z,c1,m1,1.00,1\n"
                + "t2,2026-02-01T00:00:00Z,c1,m1,1.00,0\n"
                + "t3,2026-02-01T00:00:00Z,c1,m1,1.00,\n"
                + "t4,2026-02-01T00:00:00Z,c1,m1,1.00,yes\n");
        BadRowLog bad = new BadRowLog();
        FraudTruth truth = FraudTruth.load(csv, bad);
        assertThat(truth.isFraud("t1")).isTrue();
        assertThat(truth.isFraud("t2")).isFalse();
        assertThat(truth.isFraud("t3")).isFalse();
        assertThat(truth.isFraud("never-seen")).isFalse();
        assertThat(truth.fraudCount()).isEqualTo(1);
        assertThat(truth.rows()).isEqualTo(3);
        assertThat(bad.first()).singleElement().satisfies(b -> assertThat(b.lineNumber()).isEqualTo(5));
    }

    @Test
    void refusesACsvWithoutLabels() throws IOException {
        Path csv = Files.writeString(dir.resolve("u.csv"), "transaction_id,event_time,card_id,merchant_id,amount\n");
        assertThatThrownBy(() -> FraudTruth.load(csv, new BadRowLog())).hasMessageContaining("no label column");
    }
}
