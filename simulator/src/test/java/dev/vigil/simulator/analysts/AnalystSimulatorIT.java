package dev.vigil.simulator.analysts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.Money;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.replay.BadRowLog;
import dev.vigil.simulator.replay.TopicReader;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.TopicSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyst simulator on the real broker and registry: the daily budget, the score order, and restarts (clean and
 * crashed) that neither repeat nor lose a review.
 */
class AnalystSimulatorIT {

    private static final int K = 4;
    private static final Instant DAY1 = Instant.parse("2026-02-01T00:00:00Z");
    private static final Duration REVIEW_DELAY = Duration.ofHours(1);

    private static LocalStack stack;
    private static AvroSerde<FraudAlert> alertSerde;
    private static AvroSerde<FraudLabel> labelSerde;

    @TempDir
    Path dir;

    private String alertsTopic;
    private String labelsTopic;
    private String groupId;
    private FraudTruth truth;
    private final List<FraudAlert> sentAlerts = new ArrayList<>();
    private final Random random = new Random(17);
    private final AtomicInteger txCounter = new AtomicInteger();

    @BeforeAll
    static void startStack() {
        stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        alertSerde = new AvroSerde<>(FraudAlert.class, registry);
        labelSerde = new AvroSerde<>(FraudLabel.class, registry);
    }

    @BeforeEach
    void freshTopics() {
        String prefix = "analysts-it-" + UUID.randomUUID().toString().substring(0, 8);
        alertsTopic = prefix + ".alerts";
        labelsTopic = prefix + ".labels";
        groupId = prefix + "-group";
        stack.createTopics(List.of(TopicSpec.of(alertsTopic, 1), TopicSpec.of(labelsTopic, 1)));
    }

    // --- the synthetic alert stream ----------------------------------------------------------------------------

    private FraudAlert alert(String card, Instant time) {
        return FraudAlert.newBuilder()
                .setTransactionId("tx-" + txCounter.incrementAndGet())
                .setCardId(card)
                .setMerchantId("merchant-1")
                .setEventTime(time)
                .setAmountMinor(1000)
                .setCurrency("EUR")
                .setScore(Math.round(random.nextDouble() * 10_000) / 10_000.0)
                .setDecision("alert")
                .setModelVersion("m1")
                .setAdapterVersion("a1")
                .setReviewProbability(1.0)
                .setAlertedTime(time)
                .build();
    }

    /** 10 cards with 1 to 3 alerts each, spread over the day in event-time order. */
    private List<FraudAlert> day(int dayIndex) {
        Instant start = DAY1.plus(Duration.ofDays(dayIndex));
        List<FraudAlert> alerts = new ArrayList<>();
        for (int card = 0; card < 10; card++) {
            int n = 1 + random.nextInt(3);
            for (int j = 0; j < n; j++) {
                alerts.add(alert("card-" + dayIndex + "-" + card, start.plusSeconds(3600 + random.nextInt(20 * 3600))));
            }
        }
        alerts.sort(Comparator.comparing(FraudAlert::getEventTime));
        return alerts;
    }

    private void send(List<FraudAlert> alerts) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            for (FraudAlert alert : alerts) {
                producer.send(new ProducerRecord<>(alertsTopic, alert.getCardId(), alertSerde.encode(alertsTopic, alert)));
            }
        }
        sentAlerts.addAll(alerts);
    }

    /** Truth for every alert sent so far (and some it never sees): every third transaction is fraud. */
    private void writeTruth() throws IOException {
        Path csv = dir.resolve("truth.csv");
        try (TransactionCsv.Writer writer = TransactionCsv.create(csv)) {
            for (int i = 1; i <= txCounter.get() + 10; i++) {
                writer.write(new CsvTransaction("tx-" + i, DAY1, "card", "merchant-1", new Money(1000, "EUR"),
                        null, null, null, null, null, null, i % 3 == 0 ? 1 : 0, null));
            }
        }
        truth = FraudTruth.load(csv, new BadRowLog());
    }

    // --- running the simulator ---------------------------------------------------------------------------------

    private AnalystSimulator simulator(Duration idleClose, boolean exitWhenIdle, List<String> log) {
        ReviewPolicy policy = new ReviewPolicy(K, REVIEW_DELAY, Duration.ofHours(1), ReviewClock.DAY_CLOSE, 3);
        AnalystSimulator.Settings settings = new AnalystSimulator.Settings(stack.bootstrapServers(), groupId,
                alertsTopic, labelsTopic, idleClose, exitWhenIdle, Duration.ofMillis(200), Duration.ofSeconds(30));
        return new AnalystSimulator(settings, policy, truth, alertSerde, labelSerde, line -> {
            synchronized (log) {
                log.add(line);
            }
            System.out.println("[analysts] " + line);
        });
    }

    private static Thread start(AnalystSimulator simulator, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> {
            try {
                simulator.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "analyst-simulator");
        thread.start();
        return thread;
    }

    private List<FraudLabel> labelsWhen(int atLeast) {
        return TopicReader.readAll(stack.bootstrapServers(), labelsTopic, atLeast, Duration.ofSeconds(2),
                Duration.ofSeconds(60)).stream().map(r -> labelSerde.decode(r.topic(), r.value())).toList();
    }

    private List<ConsumerRecord<String, byte[]>> labelRecords() {
        return TopicReader.readAll(stack.bootstrapServers(), labelsTopic, 0, Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    // --- what should come out ----------------------------------------------------------------------------------

    private static LocalDate dayOf(Instant time) {
        return LocalDate.ofInstant(time, ZoneOffset.UTC);
    }

    /** The reference policy: per day, the top-k cards by max score (ties by card id), every alert of each. */
    private static Map<LocalDate, Set<String>> expectedTransactions(List<FraudAlert> alerts) {
        Map<LocalDate, Map<String, List<FraudAlert>>> byDayAndCard = new LinkedHashMap<>();
        for (FraudAlert alert : alerts) {
            byDayAndCard.computeIfAbsent(dayOf(alert.getEventTime()), d -> new LinkedHashMap<>())
                    .computeIfAbsent(alert.getCardId(), c -> new ArrayList<>()).add(alert);
        }
        Map<LocalDate, Set<String>> expected = new LinkedHashMap<>();
        byDayAndCard.forEach((day, cards) -> {
            List<String> ranked = cards.keySet().stream().sorted(Comparator
                    .comparingDouble((String c) -> -cards.get(c).stream().mapToDouble(FraudAlert::getScore).max().orElseThrow())
                    .thenComparing(c -> c)).limit(K).toList();
            expected.put(day, ranked.stream().flatMap(c -> cards.get(c).stream()).map(FraudAlert::getTransactionId)
                    .collect(Collectors.toSet()));
        });
        return expected;
    }

    private void assertLabelsAreTheReviewsOf(List<FraudLabel> labels, Map<LocalDate, Set<String>> expected) {
        assertThat(labels).extracting(FraudLabel::getTransactionId).doesNotHaveDuplicates();
        Map<LocalDate, Set<String>> actual = labels.stream().collect(Collectors.groupingBy(
                l -> dayOf(l.getTransactionTime()), LinkedHashMap::new,
                Collectors.mapping(FraudLabel::getTransactionId, Collectors.toSet())));
        assertThat(actual).isEqualTo(expected);
        Map<LocalDate, Set<String>> cardsPerDay = labels.stream().collect(Collectors.groupingBy(
                l -> dayOf(l.getTransactionTime()), Collectors.mapping(FraudLabel::getCardId, Collectors.toSet())));
        assertThat(cardsPerDay.values()).allSatisfy(cards -> assertThat(cards).hasSizeLessThanOrEqualTo(K));
        for (FraudLabel label : labels) {
            assertThat(label.getSource()).isEqualTo(LabelSource.ANALYST);
            assertThat(label.getIsFraud()).isEqualTo(truth.isFraud(label.getTransactionId()));
            assertThat(label.getLabeledBy()).matches("analyst-[1-3]");
            assertThat(label.getLabeledTime()).isAfterOrEqualTo(
                    dayOf(label.getTransactionTime()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                            .plus(REVIEW_DELAY));
        }
    }

    // --- the tests ---------------------------------------------------------------------------------------------

    @Test
    void reviewsAtMostKCardsADayInScoreOrderAndAStopAndStartNeitherRepeatsNorLosesAReview() throws Exception {
        List<FraudAlert> day1 = day(0);
        List<FraudAlert> day2 = day(1);
        send(day1);
        send(day2);
        // Written later in the topic: a late alert of day 1 for a card reviewed that day (labeled, no budget) and one
        // for a card not reviewed (the budget is spent: never labeled). Both must be judged against day 1's budget
        // as restored from the labels after the restart.
        Map<LocalDate, Set<String>> beforeLate = expectedTransactions(sentAlerts);
        String reviewedCard = day1.stream().filter(a -> beforeLate.get(dayOf(DAY1)).contains(a.getTransactionId()))
                .findFirst().orElseThrow().getCardId();
        String unreviewedCard = day1.stream().map(FraudAlert::getCardId).filter(c -> day1.stream()
                .filter(a -> a.getCardId().equals(c)).noneMatch(a -> beforeLate.get(dayOf(DAY1)).contains(a.getTransactionId())))
                .findFirst().orElseThrow();
        FraudAlert lateOfReviewed = alert(reviewedCard, DAY1.plus(Duration.ofHours(23)));
        FraudAlert lateOfUnreviewed = alert(unreviewedCard, DAY1.plus(Duration.ofHours(23)));
        List<FraudAlert> day3 = day(2);
        writeTruth();

        // Run 1: day 2 stays open (no alert of a later day, no idle close); day 1 is reviewed.
        List<String> log = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AnalystSimulator first = simulator(Duration.ZERO, false, log);
        Thread thread = start(first, failure);
        int day1Labels = beforeLate.get(dayOf(DAY1)).size();
        List<FraudLabel> afterFirst = labelsWhen(day1Labels);
        first.stop();
        thread.join(30_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(afterFirst).extracting(FraudLabel::getTransactionId)
                .containsExactlyInAnyOrderElementsOf(beforeLate.get(dayOf(DAY1)));
        assertThat(first.desk().openDays()).containsExactly(dayOf(DAY1.plus(Duration.ofDays(1))));

        // Run 2, a new process in effect: day 3 arrives (closing day 2), then the late alerts of day 1; then quiet.
        send(day3);
        send(List.of(lateOfReviewed, lateOfUnreviewed));
        AnalystSimulator second = simulator(Duration.ofSeconds(3), true, log);
        Thread secondThread = start(second, failure);
        secondThread.join(60_000);
        assertThat(secondThread.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(second.restoredLabels()).isEqualTo(day1Labels);

        Map<LocalDate, Set<String>> expected = expectedTransactions(sentAlerts.stream()
                .filter(a -> a != lateOfReviewed && a != lateOfUnreviewed).toList());
        expected.get(dayOf(DAY1)).add(lateOfReviewed.getTransactionId());
        List<FraudLabel> labels = labelsWhen(expected.values().stream().mapToInt(Set::size).sum());
        assertLabelsAreTheReviewsOf(labels, expected);
        assertThat(labels).extracting(FraudLabel::getTransactionId).doesNotContain(lateOfUnreviewed.getTransactionId());
        assertThat(labelRecords()).allSatisfy(r -> assertThat(new String(
                r.headers().lastHeader(AnalystSimulator.GROUP_HEADER).value())).isEqualTo(groupId));
    }

    @Test
    void aCrashBetweenPublishingAndCommittingLosesAndRepeatsNothing() throws Exception {
        send(day(0));
        send(day(1));
        writeTruth();
        List<String> log = new ArrayList<>();

        // Crash inside the first transaction that carries labels, after the labels were sent to the broker.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AnalystSimulator crashing = simulator(Duration.ofSeconds(3), true, log);
        crashing.beforeCommit = labels -> {
            if (labels > 0) {
                throw new IllegalStateException("simulated crash before commit");
            }
        };
        Thread thread = start(crashing, failure);
        thread.join(60_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(KafkaException.class).hasStackTraceContaining("simulated crash");
        assertThat(labelRecords()).isEmpty(); // read_committed: the aborted labels are invisible

        AtomicReference<Throwable> secondFailure = new AtomicReference<>();
        AnalystSimulator restarted = simulator(Duration.ofSeconds(3), true, log);
        Thread secondThread = start(restarted, secondFailure);
        secondThread.join(60_000);
        assertThat(secondThread.isAlive()).isFalse();
        assertThat(secondFailure.get()).isNull();

        Map<LocalDate, Set<String>> expected = expectedTransactions(sentAlerts);
        List<FraudLabel> labels = labelsWhen(expected.values().stream().mapToInt(Set::size).sum());
        assertLabelsAreTheReviewsOf(labels, expected);

        // A third start finds nothing left to do and publishes nothing more.
        AnalystSimulator third = simulator(Duration.ofSeconds(1), true, log);
        Thread thirdThread = start(third, secondFailure);
        thirdThread.join(60_000);
        assertThat(secondFailure.get()).isNull();
        assertThat(third.labelsPublished()).isZero();
        assertThat(labelRecords()).hasSize(labels.size());
        assertThatThrownBy(third::run).isInstanceOf(IllegalStateException.class);
    }
}
