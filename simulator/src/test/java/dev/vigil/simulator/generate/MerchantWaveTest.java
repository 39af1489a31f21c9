package dev.vigil.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.csv.CsvTransaction;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MerchantWaveTest {

    private static final int WAVE_DAY = 10;
    private static final SimulationConfig WITHOUT = SimulationConfig.of(20, 1_000, 200, 3);
    private static final SimulationConfig WITH = WITHOUT.withWaveStartDay(WAVE_DAY);

    private static PaymentSimulator simulator;
    private static List<CsvTransaction> rows;
    private static List<CsvTransaction> wave;

    @BeforeAll
    static void simulate() {
        simulator = new PaymentSimulator(WITH);
        rows = simulator.transactions().toList();
        wave = rows.stream().filter(row -> row.scenario().equals("merchant_wave")).toList();
    }

    @Test
    void theWaveAppearsOnlyFromItsStartDay() {
        LocalDate start = WITH.start().plusDays(WAVE_DAY);
        assertThat(wave).isNotEmpty();
        assertThat(wave).allSatisfy(row ->
                assertThat(row.eventTime().atZone(ZoneOffset.UTC).toLocalDate()).isAfterOrEqualTo(start));
        assertThat(wave).anyMatch(row -> row.eventTime().atZone(ZoneOffset.UTC).toLocalDate().equals(start));
        assertThat(wave).allMatch(CsvTransaction::isFraud);
    }

    @Test
    void waveFraudIsCardPresentAtFuelStationsAtNightOnCardsFromElsewhere() {
        Map<String, Merchant> merchants = new HashMap<>();
        simulator.merchants().forEach(m -> merchants.put(m.id(), m));
        Map<String, Card> cards = new HashMap<>();
        simulator.cards().forEach(c -> cards.put(c.id(), c));
        assertThat(wave).allSatisfy(row -> {
            Merchant station = merchants.get(row.merchantId());
            assertThat(row.merchantCategory()).isEqualTo("fuel");
            assertThat(row.channel()).isEqualTo("card_present");
            int localHour = row.eventTime().atOffset(ZoneOffset.ofTotalSeconds(
                    station.city().utcOffsetMinutes() * 60)).getHour();
            assertThat(localHour).satisfiesAnyOf(h -> assertThat(h).isGreaterThanOrEqualTo(23),
                    h -> assertThat(h).isLessThan(6));
            Card card = cards.get(row.cardId());
            assertThat(simulator.cities().get(card.homeCity())).isNotEqualTo(station.city());
            assertThat(row.amount().toMajorUnits()).isBetween(MerchantWave.MIN_AMOUNT, MerchantWave.MAX_AMOUNT);
        });
        // Several stations fall, one after the other.
        assertThat(wave.stream().map(CsvTransaction::merchantId).distinct().count()).isGreaterThan(1);
    }

    @Test
    void switchingTheWaveOnLeavesEverythingElseAsItWas() {
        Iterator<SimulatedDay> with = simulator.days();
        Iterator<SimulatedDay> without = new PaymentSimulator(WITHOUT).days();
        while (with.hasNext()) {
            SimulatedDay a = with.next();
            SimulatedDay b = without.next();
            if (a.index() < WAVE_DAY) {
                assertThat(a.transactions()).isEqualTo(b.transactions());
            } else {
                // Same genuine and other fraud payments, in the same order; only ids move to make room.
                List<String> kept = a.transactions().stream()
                        .filter(row -> !row.scenario().equals("merchant_wave")).map(MerchantWaveTest::withoutId)
                        .toList();
                assertThat(kept).isEqualTo(b.transactions().stream().map(MerchantWaveTest::withoutId).toList());
                assertThat(a.count(Scenario.MERCHANT_WAVE)).isPositive();
            }
        }
    }

    private static String withoutId(CsvTransaction row) {
        return row.toString().replace("transactionId=" + row.transactionId() + ",", "");
    }
}
