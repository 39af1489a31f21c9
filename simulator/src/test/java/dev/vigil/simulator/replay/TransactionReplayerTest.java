package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.csv.CsvTransaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionReplayerTest {

    @TempDir
    Path dir;

    private static final Duration DELAY = Duration.ofHours(2);

    /** 10 hours of one transaction a minute on 20 cards; every 37th is fraud. Shuffled on disk. */
    private Path history() throws IOException {
        List<CsvTransaction> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            rows.add(Rows.row("t" + i, i, "c" + (i % 20), i % 37 == 0 ? 1 : 0));
        }
        Collections.shuffle(rows, new Random(11));
        return Rows.write(dir.resolve("history.csv"), rows);
    }

    /** The defaults without cardholder reports: every fraud labeled by its chargeback alone. */
    private static ReplayOptions chargebacksOnly() {
        return ReplayOptions.defaults().withCardholderReports(CardholderReports.none());
    }

    private ReplayReport replay(Path csv, ReplayOptions options, RecordingSink sink) throws IOException {
        return new TransactionReplayer(sink, options, ReplayProgress.SILENT).replay(csv, new BadRowLog());
    }

    @Test
    void publishesEveryTransactionOnceInEventTimeOrder() throws IOException {
        RecordingSink sink = new RecordingSink();
        ReplayReport report = replay(history(), chargebacksOnly().withChargebacks(false), sink);

        List<Transaction> published = sink.transactions();
        assertThat(published).hasSize(600);
        assertThat(published).extracting(Transaction::getTransactionId).doesNotHaveDuplicates();
        for (int i = 1; i < published.size(); i++) {
            assertThat(published.get(i).getEventTime()).isAfterOrEqualTo(published.get(i - 1).getEventTime());
        }
        assertThat(sink.labels()).isEmpty();
        assertThat(sink.flushes).isEqualTo(1);
        assertThat(report.transactions()).isEqualTo(600);
        assertThat(report.sortedOnDisk()).isFalse();
        assertThat(report.firstEventTime()).isEqualTo(Rows.T0);
        assertThat(report.lastEventTime()).isEqualTo(Rows.T0.plusSeconds(599 * 60));
    }

    @Test
    void mapsEveryColumnOfTheRowToTheAvroTransaction() {
        CsvTransaction row = Rows.row("t1", Instant.parse("2026-02-01T10:00:00.123456Z"), "c1", 1);
        Transaction t = TransactionReplayer.toTransaction(row);
        assertThat(t.getTransactionId()).isEqualTo("t1");
        assertThat(t.getEventTime()).isEqualTo(Instant.parse("2026-02-01T10:00:00.123Z"));
        assertThat(t.getCardId()).isEqualTo("c1");
        assertThat(t.getMerchantId()).isEqualTo("m-c1");
        assertThat(t.getAmountMinor()).isEqualTo(1234);
        assertThat(t.getCurrency()).isEqualTo("EUR");
        assertThat(t.getMerchantCategory()).isEqualTo("grocery");
        assertThat(t.getCountry()).isEqualTo("FR");
        assertThat(t.getChannel()).isEqualTo("card_present");
        assertThat(t.getDeviceId()).isNull();
        assertThat(t.getLat()).isEqualTo(48.85);
        assertThat(t.getLon()).isEqualTo(2.35);
    }

    @Test
    void interleavesEachChargebackAtItsLabeledTimeAfterItsTransaction() throws IOException {
        RecordingSink sink = new RecordingSink();
        ReplayReport report = replay(history(), chargebacksOnly().withLabelDelay(DELAY), sink);

        Map<String, Integer> positionOfTransaction = new HashMap<>();
        Instant clock = Instant.MIN;
        for (int i = 0; i < sink.records.size(); i++) {
            Object record = sink.records.get(i);
            if (record instanceof Transaction t) {
                positionOfTransaction.put(t.getTransactionId(), i);
                clock = t.getEventTime();
            } else {
                FraudLabel label = (FraudLabel) record;
                // After the transaction it labels, and not before the replayed clock could know it: the next
                // transaction is at or after its labeled time, the previous one before it.
                assertThat(positionOfTransaction).containsKey(label.getTransactionId());
                assertThat(label.getLabeledTime()).isEqualTo(label.getTransactionTime().plus(DELAY));
                assertThat(label.getLabeledTime()).isAfter(clock);
                Transaction next = sink.records.subList(i, sink.records.size()).stream()
                        .filter(Transaction.class::isInstance).map(Transaction.class::cast).findFirst().orElse(null);
                if (next != null) {
                    assertThat(next.getEventTime()).isAfterOrEqualTo(label.getLabeledTime());
                }
            }
        }
        // Fraud rows: t0, t37, ..., t592 (17 of them); labels due by the last transaction (t599 at 599 min) are
        // those with 60*... <= 599 - 120 minutes: t0..t444 (13), the other 4 trail.
        assertThat(sink.labels()).extracting(FraudLabel::getTransactionId)
                .containsExactly(fraudIds(600).toArray(String[]::new));
        assertThat(report.interleavedLabels()).isEqualTo(13);
        assertThat(report.trailingLabels()).isEqualTo(4);
        assertThat(report.labelsPublished()).isEqualTo(17);
        FraudLabel first = sink.labels().get(0);
        assertThat(first.getSource()).isEqualTo(LabelSource.CHARGEBACK);
        assertThat(first.getLabeledBy()).isEqualTo("issuer");
        assertThat(first.getIsFraud()).isTrue();
        assertThat(first.getCardId()).isEqualTo("c0");
        assertThat(first.getTransactionTime()).isEqualTo(Rows.T0);
    }

    @Test
    void cardholderReportsComeBeforeTheChargebacksAndEveryLabelInLabelTimeOrderOnceTheClockReachesIt()
            throws IOException {
        RecordingSink sink = new RecordingSink();
        // every fraud reported 30 minutes after it, charged back after 2 hours
        ReplayOptions options = chargebacksOnly().withLabelDelay(DELAY)
                .withCardholderReports(new CardholderReports(1.0, Duration.ofMinutes(30), 0));
        ReplayReport report = replay(history(), options, sink);

        Instant clock = Instant.MIN;
        Instant lastLabel = Instant.MIN;
        for (Object record : sink.records) {
            if (record instanceof Transaction t) {
                clock = t.getEventTime();
            } else {
                FraudLabel label = (FraudLabel) record;
                assertThat(label.getLabeledTime()).isAfter(clock).isAfterOrEqualTo(lastLabel);
                lastLabel = label.getLabeledTime();
                Duration delay = Duration.between(label.getTransactionTime(), label.getLabeledTime());
                if (label.getSource() == LabelSource.CARDHOLDER) {
                    assertThat(delay).isEqualTo(Duration.ofMinutes(30));
                    assertThat(label.getLabeledBy()).isEqualTo(CardholderReports.REPORTED_BY);
                } else {
                    assertThat(label.getSource()).isEqualTo(LabelSource.CHARGEBACK);
                    assertThat(delay).isEqualTo(DELAY);
                }
            }
        }
        assertThat(sink.labels()).filteredOn(l -> l.getSource() == LabelSource.CARDHOLDER).hasSize(17);
        assertThat(sink.labels()).filteredOn(l -> l.getSource() == LabelSource.CHARGEBACK).hasSize(17);
        assertThat(report.labelsPublished()).isEqualTo(34);
    }

    @Test
    void aShareOfTheFraudsIsReportedWithDelaysAroundTheMedianTheSameInEveryReplay() {
        CardholderReports reports = CardholderReports.defaults();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        int reported = 0;
        List<Long> hours = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            java.util.Optional<Instant> at = reports.reportTime("tx-" + i, t);
            assertThat(at).isEqualTo(reports.reportTime("tx-" + i, t));
            if (at.isPresent()) {
                reported++;
                hours.add(Duration.between(t, at.get()).toMinutes());
                assertThat(at.get()).isAfterOrEqualTo(t.plus(CardholderReports.MINIMUM));
            }
        }
        assertThat(reported).as("half of 4,000").isBetween(1_850, 2_150);
        Collections.sort(hours);
        assertThat(hours.get(hours.size() / 2)).as("median a day, in minutes").isBetween(1_300L, 1_580L);
        assertThat(hours.get(hours.size() / 10)).as("10% within about 7 hours").isBetween(300L, 500L);
        assertThat(CardholderReports.none().reportTime("tx-1", t)).isEmpty();
    }

    @Test
    void dropsTrailingChargebacksWhenAskedAndCountsThem() throws IOException {
        RecordingSink sink = new RecordingSink();
        ReplayReport report = replay(history(),
                chargebacksOnly().withLabelDelay(DELAY).withTrailingLabels(false), sink);
        assertThat(sink.labels()).hasSize(13);
        assertThat(report.droppedTrailingLabels()).isEqualTo(4);
        assertThat(sink.records.get(sink.records.size() - 1)).isInstanceOf(Transaction.class);
    }

    @Test
    void chargesBackOnlyTheTransactionsOfTheWindow() throws IOException {
        RecordingSink sink = new RecordingSink();
        // Minutes 100..299: fraud rows t111, t148, t185, t222, t259, t296.
        ReplayWindow window = new ReplayWindow(Rows.T0.plusSeconds(100 * 60), Rows.T0.plusSeconds(300 * 60));
        ReplayReport report = replay(history(), chargebacksOnly().withWindow(window).withLabelDelay(DELAY), sink);
        assertThat(sink.transactions()).hasSize(200);
        assertThat(sink.transactions().get(0).getTransactionId()).isEqualTo("t100");
        assertThat(sink.labels()).extracting(FraudLabel::getTransactionId)
                .containsExactly("t111", "t148", "t185", "t222", "t259", "t296");
        assertThat(report.interleavedLabels()).isEqualTo(2); // t111 at 231 min, t148 at 268 min
        assertThat(report.trailingLabels()).isEqualTo(4);
    }

    @Test
    void aZeroDelayChargebackFollowsItsTransactionImmediately() throws IOException {
        RecordingSink sink = new RecordingSink();
        replay(history(), chargebacksOnly().withLabelDelay(Duration.ZERO), sink);
        for (int i = 0; i < sink.records.size(); i++) {
            if (sink.records.get(i) instanceof FraudLabel label) {
                assertThat(((Transaction) sink.records.get(i - 1)).getTransactionId()).isEqualTo(label.getTransactionId());
            }
        }
        assertThat(sink.labels()).hasSize(17);
    }

    @Test
    void publishesNoChargebacksForAnUnlabeledFile() throws IOException {
        Path csv = dir.resolve("unlabeled.csv");
        Files.writeString(csv, "transaction_id,event_time,card_id,merchant_id,amount\n"
                + "t2,2026-02-01T00:01:00Z,c1,m1,2.00\nt1,2026-02-01T00:00:00Z,c1,m1,1.00\n");
        RecordingSink sink = new RecordingSink();
        ReplayReport report = replay(csv, chargebacksOnly(), sink);
        assertThat(sink.transactions()).extracting(Transaction::getTransactionId).containsExactly("t1", "t2");
        assertThat(report.labelsPublished()).isZero();
    }

    @Test
    void holdsTheRequestedRate() throws IOException {
        RecordingSink sink = new RecordingSink();
        Path csv = history();
        long start = System.nanoTime();
        // 41 transactions at 200/s: the 41st is due 200 ms after the first.
        replay(csv, chargebacksOnly().withWindow(new ReplayWindow(null, Rows.T0.plusSeconds(41 * 60))).withRate(200),
                sink);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(195));
        assertThat(sink.transactions()).hasSize(41);
    }

    private static List<String> fraudIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i += 37) {
            ids.add("t" + i);
        }
        return ids;
    }
}
