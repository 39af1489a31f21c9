package dev.vigil.model.features;

import dev.vigil.model.context.CaseLabel;
import dev.vigil.schemas.Money;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small seeded payment history for the tests: cards with homes and habits, merchants, a compromised merchant whose
 * payments are all fraud for a while, a few card-testing bursts, and optional columns missing now and then. Written
 * through the canonical CSV and read back, as the trainer reads a history; fraud becomes chargebacks 7 days later.
 */
final class SyntheticHistory {

    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    static final Duration LABEL_DELAY = Duration.ofDays(7);
    private static final String[] CATEGORIES = {"grocery", "fuel", "restaurant", "electronics", "online_retail", "gaming"};

    final List<CsvTransaction> rows;
    final List<Payment> payments;
    final List<CaseLabel> labels;

    private SyntheticHistory(List<CsvTransaction> rows) {
        this.rows = rows;
        this.payments = rows.stream().map(Payment::of).toList();
        this.labels = PointInTimeFeatures.chargebacks(rows, LABEL_DELAY);
    }

    /** Generates the history, writes it to {@code csv}, and reads it back. */
    static SyntheticHistory generate(Path csv, long seed, int cards, int merchants, int days) throws IOException {
        Random rng = new Random(seed);
        List<CsvTransaction> generated = new ArrayList<>();
        double[][] homes = new double[cards][];
        for (int c = 0; c < cards; c++) {
            homes[c] = new double[] {48.8 + rng.nextGaussian() * 0.5, 2.3 + rng.nextGaussian() * 0.5};
        }
        int compromised = merchants / 3;
        long compromisedFrom = START.plus(Duration.ofDays(4)).toEpochMilli();
        long compromisedTo = START.plus(Duration.ofDays(11)).toEpochMilli();
        int id = 0;
        for (int day = 0; day < days; day++) {
            for (int c = 0; c < cards; c++) {
                int n = rng.nextInt(5);
                for (int i = 0; i < n; i++) {
                    long time = START.plus(Duration.ofDays(day)).toEpochMilli() + 6 * 3_600_000L
                            + (long) (rng.nextDouble() * 16 * 3_600_000L);
                    int merchant = rng.nextInt(merchants);
                    boolean fraud = merchant == compromised && time >= compromisedFrom && time < compromisedTo;
                    boolean online = rng.nextDouble() < 0.3;
                    generated.add(row("t" + (id++), time, c, merchant, 5 + rng.nextDouble() * 80, online,
                            online ? "dev-" + c : null, homes[c], rng, fraud));
                }
            }
            // now and then a card-testing burst: tiny online payments at several merchants from a new device
            if (rng.nextDouble() < 0.5) {
                int c = rng.nextInt(cards);
                long time = START.plus(Duration.ofDays(day)).toEpochMilli() + 2 * 3_600_000L;
                for (int i = 0; i < 4; i++) {
                    generated.add(row("t" + (id++), time + i * 45_000L, c, rng.nextInt(merchants), 1.0, true,
                            "dev-x" + day, new double[] {40.7, -74.0}, rng, true));
                }
            }
        }
        try (TransactionCsv.Writer writer = TransactionCsv.create(csv)) {
            for (CsvTransaction t : generated) {
                writer.write(t);
            }
        }
        List<CsvTransaction> read = new ArrayList<>();
        try (TransactionCsv.Reader reader = TransactionCsv.open(csv)) {
            CsvTransaction t;
            while ((t = reader.next(bad -> {
                throw new AssertionError("bad row " + bad);
            })) != null) {
                read.add(t);
            }
        }
        return new SyntheticHistory(read);
    }

    private static CsvTransaction row(String id, long time, int card, int merchant, double amount, boolean online,
                                      String device, double[] home, Random rng, boolean fraud) {
        boolean dropOptional = rng.nextDouble() < 0.1; // a row with its optional columns empty
        Double lat = dropOptional ? null : home[0] + rng.nextGaussian() * 0.05;
        Double lon = dropOptional ? null : home[1] + rng.nextGaussian() * 0.05;
        return new CsvTransaction(id, Instant.ofEpochMilli(time), "card-" + card, "m-" + merchant,
                Money.ofMajor(amount, "EUR"),
                dropOptional ? null : CATEGORIES[merchant % CATEGORIES.length],
                dropOptional ? null : "FR",
                dropOptional ? null : online ? "online" : "card_present",
                dropOptional ? null : device, lat, lon, fraud ? 1 : 0, fraud ? "test" : "legit");
    }
}
