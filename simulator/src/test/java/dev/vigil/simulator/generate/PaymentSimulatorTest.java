package dev.vigil.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaymentSimulatorTest {

    private static final SimulationConfig SMALL = SimulationConfig.of(10, 500, 100, 7);

    @TempDir
    Path dir;

    @Test
    void sameConfigAndSeedWriteByteIdenticalCsv() throws IOException {
        Path first = dir.resolve("a.csv");
        Path second = dir.resolve("b.csv");
        new PaymentSimulator(SMALL).writeCsv(first);
        new PaymentSimulator(SMALL).writeCsv(second);

        assertThat(Files.size(first)).isGreaterThan(10_000);
        assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
    }

    @Test
    void aDifferentSeedGivesDifferentPayments() throws IOException {
        Path first = dir.resolve("a.csv");
        Path second = dir.resolve("b.csv");
        new PaymentSimulator(SMALL).writeCsv(first);
        new PaymentSimulator(SMALL.withSeed(8)).writeCsv(second);

        List<String> a = Files.readAllLines(first);
        List<String> b = Files.readAllLines(second);
        assertThat(a.get(0)).isEqualTo(b.get(0));
        Set<String> rowsOfA = new HashSet<>(a.subList(1, a.size()));
        long shared = b.stream().skip(1).filter(rowsOfA::contains).count();
        assertThat(shared).isLessThan(b.size() / 100);
    }

    @Test
    void rowsComeInEventTimeOrderWithUniqueSequentialIds() throws IOException {
        Path file = dir.resolve("t.csv");
        new PaymentSimulator(SMALL).writeCsv(file);

        List<CsvTransaction> rows = readAll(file);
        assertThat(rows).hasSizeGreaterThan(5_000);
        Set<String> ids = new HashSet<>();
        Instant previous = Instant.MIN;
        for (int i = 0; i < rows.size(); i++) {
            CsvTransaction row = rows.get(i);
            assertThat(row.transactionId()).isEqualTo("t" + (i + 1));
            assertThat(ids.add(row.transactionId())).isTrue();
            assertThat(row.eventTime()).isAfterOrEqualTo(previous);
            previous = row.eventTime();
        }
        LocalDate first = rows.get(0).eventTime().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = previous.atZone(ZoneOffset.UTC).toLocalDate();
        assertThat(first).isEqualTo(SMALL.start());
        assertThat(last).isEqualTo(SMALL.end());
    }

    @Test
    void theCsvRoundTripsThroughTransactionCsv() throws IOException {
        Path file = dir.resolve("t.csv");
        PaymentSimulator simulator = new PaymentSimulator(SMALL);
        SimulationSummary summary = simulator.writeCsv(file);

        List<CsvTransaction> generated = simulator.transactions().toList();
        List<CsvTransaction> read = new ArrayList<>();
        long bad;
        try (TransactionCsv.Reader reader = TransactionCsv.open(file)) {
            CsvTransaction row;
            while ((row = reader.next(b -> { })) != null) {
                read.add(row);
            }
            bad = reader.badRows();
            assertThat(reader.header().has("label")).isTrue();
            assertThat(reader.header().has("scenario")).isTrue();
        }
        assertThat(bad).isZero();
        assertThat(read).isEqualTo(generated);
        assertThat(read).hasSize((int) summary.transactions());
        assertThat(read).allSatisfy(row -> {
            assertThat(row.amount().currency()).isEqualTo("EUR");
            assertThat(row.amount().minorUnits()).isPositive();
            assertThat(row.merchantCategory()).isNotNull();
            assertThat(row.country()).hasSize(2);
            assertThat(row.channel()).isIn("card_present", "online");
            assertThat(row.deviceId() != null).isEqualTo(row.channel().equals("online"));
            assertThat(row.lat()).isBetween(-90.0, 90.0);
            assertThat(row.lon()).isBetween(-180.0, 180.0);
            assertThat(row.label()).isEqualTo(Scenario.ofTag(row.scenario()).label());
        });
    }

    @Test
    void daysComeInOrderAndHoldOnlyTheirOwnDate() {
        Iterator<SimulatedDay> days = new PaymentSimulator(SMALL).days();
        long nextSequence = 1;
        for (int d = 0; d < SMALL.days(); d++) {
            SimulatedDay day = days.next();
            assertThat(day.index()).isEqualTo(d);
            assertThat(day.date()).isEqualTo(SMALL.start().plusDays(d));
            assertThat(day.firstSequence()).isEqualTo(nextSequence);
            assertThat(day.transactions()).allSatisfy(row ->
                    assertThat(row.eventTime().atZone(ZoneOffset.UTC).toLocalDate()).isEqualTo(day.date()));
            nextSequence += day.size();
        }
        assertThat(days.hasNext()).isFalse();
    }

    @Test
    void everyRunStartsAfreshFromTheConfig() {
        PaymentSimulator simulator = new PaymentSimulator(SMALL);
        List<CsvTransaction> first = simulator.transactions().limit(2_000).toList();
        List<CsvTransaction> second = simulator.transactions().limit(2_000).toList();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void otherCurrenciesKeepTheirMinorUnits() {
        List<CsvTransaction> yen = new PaymentSimulator(SMALL.withCurrency("JPY")).transactions().limit(500).toList();
        assertThat(yen).allSatisfy(row -> {
            assertThat(row.amount().currency()).isEqualTo("JPY");
            assertThat(row.amount().toDecimalString()).doesNotContain(".");
        });
    }

    @Test
    void aBadConfigIsRefusedWithTheNameOfTheKey() {
        assertThatThrownBy(() -> SimulationConfig.of(0, 500, 100, 1)).hasMessageContaining("days");
        assertThatThrownBy(() -> SimulationConfig.of(10, 5, 100, 1)).hasMessageContaining("cards");
        assertThatThrownBy(() -> SimulationConfig.of(10, 500, 10, 1)).hasMessageContaining("merchants");
        assertThatThrownBy(() -> SMALL.withCurrency("XYZ")).hasMessageContaining("currency");
        assertThatThrownBy(() -> SMALL.withWaveStartDay(10)).hasMessageContaining("wave start day");
        assertThatThrownBy(() -> SMALL.withWaveStartDay(-1)).hasMessageContaining("wave start day");
    }

    private static List<CsvTransaction> readAll(Path file) throws IOException {
        List<CsvTransaction> rows = new ArrayList<>();
        try (TransactionCsv.Reader reader = TransactionCsv.open(file)) {
            CsvTransaction row;
            while ((row = reader.next(b -> {
                throw new AssertionError("bad row " + b);
            })) != null) {
                rows.add(row);
            }
        }
        return rows;
    }
}
