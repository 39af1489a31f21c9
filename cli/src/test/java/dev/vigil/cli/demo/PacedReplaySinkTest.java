package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.simulator.replay.ReplaySink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacedReplaySinkTest {

    private static final Instant LIVE = Instant.parse("2026-01-22T00:00:00Z");

    private static final class Recording implements ReplaySink {
        final List<Long> wallMillis = new ArrayList<>();
        int flushes;

        @Override
        public void transaction(Transaction transaction) {
            wallMillis.add(System.nanoTime() / 1_000_000);
        }

        @Override
        public void label(FraudLabel label) {
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    private static Transaction at(Instant t) {
        Transaction tx = new Transaction();
        tx.setEventTime(t);
        return tx;
    }

    @Test
    void theHistoryGoesAtOnceAndTheLiveDaysAtTheirPaceAfterThePipelineCaughtUp() {
        Recording target = new Recording();
        AtomicLong accounted = new AtomicLong();
        // 8.64 s a day: one simulated hour is 0.36 s of wall time
        PacedReplaySink sink = new PacedReplaySink(target, LIVE, 8.64, 0, accounted::get,
                Duration.ofSeconds(5));
        List<Transaction> history = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            history.add(at(LIVE.minus(Duration.ofHours(100 - i))));
        }
        long start = System.nanoTime();
        history.forEach(sink::transaction);
        assertThat((System.nanoTime() - start) / 1e6).as("history, unpaced").isLessThan(500);
        assertThat(sink.live()).isFalse();

        new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            accounted.set(100);
        }).start();
        long boundary = System.nanoTime();
        sink.transaction(at(LIVE));
        assertThat((System.nanoTime() - boundary) / 1e6).as("waited for the scorer").isGreaterThanOrEqualTo(250);
        assertThat(target.flushes).isEqualTo(1);
        long liveStart = System.nanoTime();
        sink.transaction(at(LIVE.plus(Duration.ofHours(1))));
        double waited = (System.nanoTime() - liveStart) / 1e6;
        assertThat(waited).as("one simulated hour").isBetween(300.0, 700.0);
        assertThat(sink.sent()).isEqualTo(102);
        assertThat(sink.eventTimeMillis()).isEqualTo(LIVE.plus(Duration.ofHours(1)).toEpochMilli());
    }

    @Test
    void aWarmUpRateSpacesTheHistoryEvenly() {
        Recording target = new Recording();
        PacedReplaySink sink = new PacedReplaySink(target, LIVE, 8.64, 100, () -> Long.MAX_VALUE,
                Duration.ofSeconds(5));
        List<Transaction> history = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            history.add(at(LIVE.minus(Duration.ofMinutes(31 - i))));
        }
        long start = System.nanoTime();
        history.forEach(sink::transaction);
        assertThat((System.nanoTime() - start) / 1e6).as("30 intervals at 100/s").isBetween(280.0, 800.0);
    }

    @Test
    void stopEndsAWaitAtOnce() throws Exception {
        PacedReplaySink sink = new PacedReplaySink(new Recording(), LIVE, 86_400, 0, () -> Long.MAX_VALUE,
                Duration.ofSeconds(5));
        sink.transaction(at(LIVE));
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.stop();
        });
        stopper.start();
        long start = System.nanoTime();
        assertThatThrownBy(() -> sink.transaction(at(LIVE.plus(Duration.ofHours(1)))))
                .isInstanceOf(PacedReplaySink.Stopped.class);
        assertThat((System.nanoTime() - start) / 1e6).isLessThan(2_000);
        assertThatThrownBy(() -> sink.label(new FraudLabel())).isInstanceOf(PacedReplaySink.Stopped.class);
    }
}
