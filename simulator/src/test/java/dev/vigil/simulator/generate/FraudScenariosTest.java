package dev.vigil.simulator.generate;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.csv.CsvTransaction;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scenarios of a moderate default run (no wave) and what each must look like. */
class FraudScenariosTest {

    private static final SimulationConfig MODERATE = SimulationConfig.of(30, 2_000, 400, 42);

    private static PaymentSimulator simulator;
    private static List<CsvTransaction> rows;
    private static Map<String, Card> cards;

    @BeforeAll
    static void simulate() {
        simulator = new PaymentSimulator(MODERATE);
        rows = simulator.transactions().toList();
        cards = new HashMap<>();
        simulator.cards().forEach(card -> cards.put(card.id(), card));
    }

    @Test
    void fraudIsHalfToOnePercentOfPayments() {
        double frauds = rows.stream().filter(CsvTransaction::isFraud).count();
        assertThat(rows).hasSizeGreaterThan(100_000);
        assertThat(frauds / rows.size()).isBetween(0.005, 0.01);
    }

    @Test
    void everyScenarioButTheWaveAppearsAndLabelsFollowScenarios() {
        Set<String> seen = new HashSet<>();
        for (CsvTransaction row : rows) {
            seen.add(row.scenario());
            assertThat(row.label()).isEqualTo(row.scenario().equals("legit") ? 0 : 1);
        }
        assertThat(seen).containsExactlyInAnyOrder("legit", "large_amount", "compromised_merchant",
                "compromised_card", "card_testing", "account_takeover", "friendly_fraud");
    }

    @Test
    void noFraudTouchesFuelStationsSoTheWaveIsNew() {
        assertThat(rows).filteredOn(CsvTransaction::isFraud)
                .noneMatch(row -> row.merchantCategory().equals(MerchantWave.CATEGORY.tag()));
    }

    @Test
    void aCompromisedMerchantsPaymentsAreAllFraudForUpTo28Days() {
        Map<String, List<CsvTransaction>> byMerchant = of("compromised_merchant").stream()
                .collect(groupingBy(CsvTransaction::merchantId));
        assertThat(byMerchant).isNotEmpty();
        byMerchant.forEach((merchant, frauds) -> {
            var first = frauds.get(0).eventTime();
            var last = frauds.get(frauds.size() - 1).eventTime();
            assertThat(Duration.between(first, last)).isLessThan(Duration.ofDays(CompromisedMerchants.DAYS));
            // Within the window, nobody pays there genuinely.
            assertThat(rows).filteredOn(row -> row.merchantId().equals(merchant)
                            && !row.eventTime().isBefore(first) && !row.eventTime().isAfter(last))
                    .allMatch(CsvTransaction::isFraud);
        });
        // Genuine customers were paying there before: nothing but the merchant's history betrays it.
        long withHistory = byMerchant.keySet().stream().filter(merchant -> rows.stream().anyMatch(row ->
                row.merchantId().equals(merchant) && !row.isFraud())).count();
        assertThat(withHistory).isPositive();
    }

    @Test
    void aCompromisedCardHasAboutAThirdFraudForTwoWeeksWithInflatedAmounts() {
        Map<String, List<CsvTransaction>> byCard = byCard();
        long inWindow = 0;
        long fraudInWindow = 0;
        List<Double> fraudAmounts = new ArrayList<>();
        List<Double> ownAmounts = new ArrayList<>();
        for (var entry : of("compromised_card").stream().collect(groupingBy(CsvTransaction::cardId)).entrySet()) {
            List<CsvTransaction> frauds = entry.getValue();
            var first = frauds.get(0).eventTime();
            var end = first.plus(Duration.ofDays(CompromisedCards.DAYS));
            assertThat(frauds.get(frauds.size() - 1).eventTime()).isBefore(end);
            for (CsvTransaction row : byCard.get(entry.getKey())) {
                if (!row.eventTime().isBefore(first) && row.eventTime().isBefore(end)) {
                    inWindow++;
                    fraudInWindow += row.scenario().equals("compromised_card") ? 1 : 0;
                }
                if (row.scenario().equals("legit")) {
                    ownAmounts.add(row.amount().toMajorUnits());
                }
            }
            frauds.forEach(f -> fraudAmounts.add(f.amount().toMajorUnits()));
        }
        assertThat((double) fraudInWindow / inWindow).isBetween(0.25, 0.45);
        assertThat(median(fraudAmounts)).isGreaterThan(2.5 * median(ownAmounts));
    }

    @Test
    void cardTestingIsABurstOfTinyAmountsAtManyMerchantsThenALargeOne() {
        Map<String, List<CsvTransaction>> incidents = of("card_testing").stream()
                .collect(groupingBy(row -> row.cardId() + "@" + row.eventTime().atZone(ZoneOffset.UTC).toLocalDate()));
        assertThat(incidents).hasSizeGreaterThanOrEqualTo(5);
        incidents.values().forEach(incident -> {
            List<CsvTransaction> tests = incident.subList(0, incident.size() - 1);
            CsvTransaction cashOut = incident.get(incident.size() - 1);
            assertThat(tests).hasSizeBetween(CardTesting.MIN_TESTS, CardTesting.MAX_TESTS);
            assertThat(tests).allSatisfy(t -> assertThat(t.amount().toMajorUnits()).isLessThanOrEqualTo(3.0));
            assertThat(tests.stream().map(CsvTransaction::merchantId).distinct().count())
                    .isGreaterThanOrEqualTo(CardTesting.MIN_TESTS - 1);
            assertThat(cashOut.amount().toMajorUnits()).isGreaterThanOrEqualTo(CardTesting.MIN_CASH_OUT);
            assertThat(cashOut.eventTime()).isAfter(tests.get(tests.size() - 1).eventTime());
            assertThat(Duration.between(incident.get(0).eventTime(), cashOut.eventTime()))
                    .isLessThan(Duration.ofHours(2));
            assertThat(incident.stream().map(CsvTransaction::deviceId).distinct()).hasSize(1);
        });
    }

    @Test
    void accountTakeoverSpendsFastFromADeviceNewToTheCardFarFromHome() {
        Map<String, List<CsvTransaction>> byCard = byCard();
        Map<String, List<CsvTransaction>> incidents = of("account_takeover").stream()
                .collect(groupingBy(row -> row.cardId() + "@" + row.deviceId()));
        assertThat(incidents).hasSizeGreaterThanOrEqualTo(10);
        incidents.values().forEach(incident -> {
            CsvTransaction first = incident.get(0);
            Card card = cards.get(first.cardId());
            Set<String> devicesBefore = new HashSet<>();
            byCard.get(first.cardId()).stream()
                    .filter(row -> row.eventTime().isBefore(first.eventTime()) && row.deviceId() != null)
                    .forEach(row -> devicesBefore.add(row.deviceId()));
            assertThat(devicesBefore).doesNotContain(first.deviceId());
            assertThat(incident).hasSizeBetween(AccountTakeover.MIN_PAYMENTS, AccountTakeover.MAX_PAYMENTS);
            assertThat(Duration.between(first.eventTime(), incident.get(incident.size() - 1).eventTime()))
                    .isLessThan(Duration.ofHours(4));
            assertThat(incident).allSatisfy(row -> {
                assertThat(row.channel()).isEqualTo("online");
                assertThat(City.distanceKm(card.lat(), card.lon(), row.lat(), row.lon())).isGreaterThan(500);
            });
        });
    }

    @Test
    void largeAmountsAreFarAboveWhatTheCardUsuallySpends() {
        Map<String, List<CsvTransaction>> byCard = byCard();
        List<CsvTransaction> large = of("large_amount");
        assertThat(large).hasSizeGreaterThanOrEqualTo(20);
        assertThat(large).allSatisfy(row -> {
            List<Double> own = byCard.get(row.cardId()).stream().filter(r -> r.scenario().equals("legit"))
                    .map(r -> r.amount().toMajorUnits()).toList();
            assertThat(row.amount().toMajorUnits()).isGreaterThan(3 * median(own));
        });
        // Mostly online, from a device the card never used before.
        long online = large.stream().filter(row -> row.channel().equals("online")).count();
        assertThat((double) online / large.size()).isBetween(0.5, 0.8);
    }

    @Test
    void friendlyFraudComesFromTheHoldersOwnDeviceAtHome() {
        Map<String, List<CsvTransaction>> byCard = byCard();
        List<CsvTransaction> disputed = of("friendly_fraud");
        assertThat(disputed).hasSizeGreaterThanOrEqualTo(20);
        assertThat(disputed).allSatisfy(row -> {
            assertThat(cards.get(row.cardId()).disputer()).isTrue();
            assertThat(row.channel()).isEqualTo("online");
        });
        // The device shows up in the holder's genuine payments too (unless they hardly ever use it), and the
        // payment comes from home (unless they travel or use a VPN).
        long ownDevice = disputed.stream().filter(row -> byCard.get(row.cardId()).stream().anyMatch(other ->
                other.scenario().equals("legit") && row.deviceId().equals(other.deviceId()))).count();
        long atHome = disputed.stream().filter(row -> {
            Card card = cards.get(row.cardId());
            return City.distanceKm(card.lat(), card.lon(), row.lat(), row.lon()) < 50;
        }).count();
        assertThat((double) ownDevice / disputed.size()).isGreaterThan(0.8);
        assertThat((double) atHome / disputed.size()).isGreaterThan(0.7);
    }

    @Test
    void genuinePaymentsInShopsHappenNearHome() {
        long inShops = 0;
        long nearHome = 0;
        for (CsvTransaction row : rows) {
            if (row.scenario().equals("legit") && row.channel().equals("card_present")) {
                Card card = cards.get(row.cardId());
                inShops++;
                nearHome += City.distanceKm(card.lat(), card.lon(), row.lat(), row.lon()) < 40 ? 1 : 0;
            }
        }
        // The rest: trips to other cities, and shops of a kind the home city lacks.
        assertThat((double) nearHome / inShops).isGreaterThan(0.9);
    }

    private static List<CsvTransaction> of(String scenario) {
        return rows.stream().filter(row -> row.scenario().equals(scenario))
                .sorted(Comparator.comparing(CsvTransaction::eventTime)).toList();
    }

    private static Map<String, List<CsvTransaction>> byCard() {
        return rows.stream().collect(groupingBy(CsvTransaction::cardId, HashMap::new, toList()));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
