package dev.vigil.bench.feedback;

import dev.vigil.evaluation.KnownCompromisedCards;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.simulator.replay.CardholderReports;
import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.features.Payment;
import dev.vigil.model.features.PointInTimeFeatures;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.simulator.analysts.ReviewPolicy;
import dev.vigil.simulator.generate.PaymentSimulator;
import dev.vigil.simulator.generate.SimulatedDay;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.streams.scoring.DecisionPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./vigil bench feedback}: what the feedback loop is for, measured. A simulated history in which a fraud
 * pattern the base model never saw starts mid-stream (the fuel-station {@code merchant_wave}); from the evaluation
 * start to the end, a frozen adapter and the daily feedback loop score the same payments ({@link WaveReplay}); then,
 * on an embedded stack with the real scorer and the real loop, the time from a burst of labels to the new adapter
 * live ({@link LabelToLive}). The last line:
 * {@code feedback: loop CP@100 A AP B | frozen CP@100 C AP D | label-to-live S s}, A..D the means over the days from
 * the wave's start.
 *
 * <p>The model must have been trained on the pre-wave part of the same simulation (same days, cards, merchants, seed,
 * training window ending before the wave): the simulator makes the days before the wave byte-identical with and
 * without it, so the base never saw the pattern.
 */
@Command(name = "feedback", mixinStandardHelpOptions = true, defaultValueProvider = LoopSettings.class,
        resourceBundle = "dev.vigil.bench.feedback.LoopSettings",
        description = "Feedback loop vs a frozen adapter on a simulated history where a new fraud pattern starts "
                + "mid-stream (daily CP@100 and AP), and the label-to-live time on an embedded stack. The model must "
                + "be trained on the pre-wave part of the same simulation (e.g. ./vigil simulate --days 60 --cards "
                + "5000 --merchants 1000 --seed 42, ./vigil train --train-from 2026-01-08 --train-to 2026-02-12).")
public final class FeedbackBenchCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/vigil",
            description = "Trained model directory, trained on the pre-wave days of this simulation. "
                    + "Default: ${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--days", defaultValue = "75",
            description = "Simulated days. A simulation's days do not depend on its length, so the first 60 are those "
                    + "of ./vigil simulate --days 60 with the same seed and a model trained on them stays valid; "
                    + "75 lets the wave run 27 days, 20 of them after its first chargebacks. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--cards", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}.")
    int cards;

    @Option(names = "--merchants", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
    int merchants;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--wave-start-day", defaultValue = "48",
            description = "Day (0 = the first) the merchant wave starts. Default: ${DEFAULT-VALUE}.")
    int waveStartDay;

    @Option(names = "--eval-from-day", defaultValue = "42",
            description = "First evaluated day (the loop starts with no labels there). Default: ${DEFAULT-VALUE} "
                    + "(2026-02-12, the end of sim60's training window).")
    int evalFromDay;

    @Option(names = "--warm-up-days", defaultValue = "14",
            description = "Days before the evaluation scored by the first adapter whose decisions and labels the loop "
                    + "finds on the topics when it is switched on, as it would on a running scorer; 0: the loop starts "
                    + "with empty logs. Default: ${DEFAULT-VALUE}.")
    int warmUpDays;

    @Option(names = "--k", defaultValue = "100",
            description = "Cards the analysts review a day, and k of CP@k. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--review-budget", defaultValue = "-1",
            description = "Cards a day the scorer sends to review (streams-app's --review-budget); 0: alerts only. "
                    + "Default: --k.")
    int reviewBudget;

    @Option(names = "--explore-share")
    double exploreShare;

    @Option(names = "--cardholder-share")
    double cardholderShare;

    @Option(names = "--cardholder-delay", paramLabel = "DURATION")
    Duration cardholderDelay;

    @Option(names = "--cardholder-delay-sigma")
    double cardholderDelaySigma;

    @Option(names = "--fast-memory", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure retrieval alone: the first adapter with the context from the labels as they "
                    + "arrive against the context frozen at the wave's start (about 2 min more).")
    boolean fastMemory;

    @Option(names = "--matured-negative-rate", paramLabel = "R")
    double maturedNegativeRate;

    @Option(names = "--label-delay", paramLabel = "DURATION")
    Duration labelDelay;

    @Option(names = "--review-cost")
    double reviewCost;

    @Option(names = "--evidence")
    double evidence;

    @Option(names = "--complete-holdout", paramLabel = "DURATION")
    Duration completeHoldout;

    @Option(names = "--proximal-lambda")
    double proximalLambda;

    @Option(names = "--live-payments", defaultValue = "6000",
            description = "Payments (from the start of the last simulated day) sent through the real scorer for the "
                    + "label-to-live measurement; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int livePayments;

    @Option(names = "--live-timeout-seconds", defaultValue = "180",
            description = "Longest wait for the new adapter to go live. Default: ${DEFAULT-VALUE}.")
    long liveTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        ModelDirectory directory = new ModelDirectory(model).requireComplete();
        SimulationConfig simulation = SimulationConfig.of(days, cards, merchants, seed).withWaveStartDay(waveStartDay);
        if (evalFromDay < 1 || evalFromDay >= days) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--eval-from-day must be in [1, " + (days - 1) + "]: " + evalFromDay);
        }
        LocalDate evalFrom = simulation.start().plusDays(evalFromDay);
        out.printf(Locale.ROOT, "bench feedback: model %s (base %s), simulation %d days from %s, %,d cards, %,d "
                        + "merchants, seed %d, merchant wave from day %d (%s), evaluation from day %d (%s)%n",
                directory.root(), directory.baseModelHash().substring(0, 12), days, simulation.start(), cards,
                merchants, seed, waveStartDay, simulation.start().plusDays(waveStartDay), evalFromDay, evalFrom);
        out.flush();

        // -- the history, encoded once: the trainer's point-in-time features with the fraud labels as they arrive:
        // chargebacks 7 days late, and the cardholders' reports -----------------------------------------------------
        long t = System.nanoTime();
        CardholderReports reports = new CardholderReports(cardholderShare, cardholderDelay, cardholderDelaySigma);
        List<CsvTransaction> history = new ArrayList<>();
        KnownCompromisedCards known = new KnownCompromisedCards(simulation.start().atStartOfDay(ZoneOffset.UTC)
                .toInstant(), Duration.ofDays(7));
        for (Iterator<SimulatedDay> it = new PaymentSimulator(simulation).days(); it.hasNext(); ) {
            for (CsvTransaction row : it.next().transactions()) {
                history.add(row);
                known.record(row);
                if (row.isFraud()) {
                    reports.reportTime(row.transactionId(), row.eventTime())
                            .ifPresent(at -> known.recordReport(row.cardId(), row.eventTime(), at));
                }
            }
        }
        List<CaseLabel> fraudLabels = new ArrayList<>(PointInTimeFeatures.chargebacks(history, Duration.ofDays(7)));
        for (CsvTransaction row : history) {
            if (row.isFraud()) {
                reports.reportTime(row.transactionId(), row.eventTime()).ifPresent(at -> fraudLabels.add(
                        new CaseLabel(row.transactionId(), true, at, LabelSource.CARDHOLDER)));
            }
        }
        out.printf(Locale.ROOT, "fraud labels: chargebacks 7 days after every fraud; cardholder reports for %.0f%% of "
                        + "them (median %s, sigma %.2f): %,d labels%n", 100 * reports.share(), reports.median(),
                reports.sigma(), fraudLabels.size());

        // -- fast memory: retrieval alone, the first adapter in both arms ---------------------------------------------
        List<FastMemory.Day> memory = null;
        if (fastMemory && waveStartDay >= 0) {
            long m = System.nanoTime();
            OnnxScorer.initEngine();
            try (OnnxScorer scorer = OnnxScorer.load(directory.int8(), ScorerOptions.cpu(1), directory.adapter())) {
                memory = new FastMemory(directory, DecisionPolicy.defaults().alertThreshold(), k).run(history,
                        fraudLabels, simulation.start().plusDays(waveStartDay).atStartOfDay(ZoneOffset.UTC).toInstant(),
                        evalFrom.atStartOfDay(ZoneOffset.UTC).toInstant(), known, scorer);
            }
            out.printf(Locale.ROOT, "fast memory measured in %.1f s%n", (System.nanoTime() - m) / 1e9);
            out.flush();
        }
        if (warmUpDays < 0 || warmUpDays > evalFromDay) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--warm-up-days must be in [0, " + evalFromDay + "]: " + warmUpDays);
        }
        Instant replayStart = evalFrom.minusDays(warmUpDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, CsvTransaction> evaluated = new HashMap<>();
        for (CsvTransaction row : history) {
            if (!row.eventTime().isBefore(replayStart)) {
                evaluated.put(row.transactionId(), row);
            }
        }
        List<CsvTransaction> rows = new ArrayList<>(evaluated.size());
        List<ModelInputs> inputs = new ArrayList<>(evaluated.size());
        new PointInTimeFeatures(new FeatureEncoder(directory.featureSpec()), 2).run(
                history.stream().map(Payment::of).toList(), fraudLabels,
                (payment, in) -> {
                    CsvTransaction row = evaluated.get(payment.transactionId());
                    if (row != null) {
                        rows.add(row);
                        inputs.add(in);
                    }
                });
        List<CsvTransaction> lastDay = history.stream()
                .filter(r -> !r.eventTime().isBefore(simulation.end().atStartOfDay(ZoneOffset.UTC).toInstant()))
                .limit(Math.max(0, livePayments)).toList();
        history = null;
        evaluated.clear();
        out.printf(Locale.ROOT, "history simulated and encoded in %.1f s: %,d payments replayed from %s (%d warm-up "
                        + "days), evaluated from %s%n", (System.nanoTime() - t) / 1e9, rows.size(),
                evalFrom.minusDays(warmUpDays), warmUpDays, evalFrom);
        out.flush();

        // -- offline: the two arms, day by day --------------------------------------------------------------------
        t = System.nanoTime();
        List<WaveReplay.Day> table;
        OnnxScorer.initEngine();
        try (OnnxScorer scorer = OnnxScorer.load(directory.int8(), ScorerOptions.cpu(1), directory.adapter())) {
            DecisionPolicy policy = new DecisionPolicy(DecisionPolicy.defaults().alertThreshold(),
                    reviewBudget < 0 ? k : reviewBudget, exploreShare, 0);
            out.printf(Locale.ROOT, "decisions: alert at %.2f, %d cards a day sent to review, %.0f%% of them explored%n",
                    policy.alertThreshold(), policy.reviewCardsPerDay(), 100 * policy.exploreShare());
            WaveReplay replay = new WaveReplay(directory, policy, k,
                    ReviewPolicy.defaults().reviewDelay(), UpdateOptions.defaults().withProximalLambda(proximalLambda), GateOptions.defaults().withEvidence(evidence)
                            .withCompleteHoldout(completeHoldout),
                    new MaturedNegatives(maturedNegativeRate, labelDelay),
                    new RewardModel(RewardModel.defaults().fraudValue(), 0, reviewCost), reports);
            table = replay.run(new WaveReplay.Evaluation(rows, inputs, known, evalFrom), waveStartDay, simulation.start(),
                    scorer, out);
        }
        out.printf(Locale.ROOT, "replayed %d days, both arms, in %.1f s%n%n", table.size(),
                (System.nanoTime() - t) / 1e9);
        printTable(out, table);
        if (memory != null) {
            printMemory(out, memory);
        }

        // -- online: label-to-live on the real scorer and loop ----------------------------------------------------
        LabelToLive.Result live = null;
        if (livePayments > 0) {
            live = LabelToLive.measure(directory, lastDay, Duration.ofSeconds(liveTimeoutSeconds), out);
            out.printf(Locale.ROOT, "label-to-live: %s after %s s (adapter %s -> %s; %,d payments, %,d scored, burst "
                            + "of %,d labels with %,d frauds); the loop's cycle: %s%n", live.outcome(),
                    fmt(live.seconds(), "%.1f"), live.versionBefore(), live.versionAfter(), live.payments(),
                    live.scored(), live.labels(), live.frauds(), live.loopOutcome());
            if (!"live".equals(live.outcome())) {
                out.println("label-to-live: NOT a swap: the number below is the time to the loop's "
                        + live.outcome() + " decision (or NaN on a timeout)");
            }
        }

        List<WaveReplay.Day> after = table.stream().filter(WaveReplay.Day::waveOn).toList();
        out.printf(Locale.ROOT, "feedback: loop CP@%d %s AP %s | frozen CP@%d %s AP %s | label-to-live %s s | first win day "
                        + "%s%n", k,
                fmt(mean(after, d -> d.loop().cardPrecision()), "%.3f"),
                fmt(mean(after, d -> d.loop().averagePrecision()), "%.3f"), k,
                fmt(mean(after, d -> d.frozen().cardPrecision()), "%.3f"),
                fmt(mean(after, d -> d.frozen().averagePrecision()), "%.3f"),
                live == null ? "n/a" : fmt(live.seconds(), "%.1f")
                        + ("live".equals(live.outcome()) ? "" : " (" + live.outcome() + ", not live)"),
                firstWinDay(after));
        out.flush();
        return 0;
    }

    private void printTable(PrintWriter out, List<WaveReplay.Day> table) {
        out.printf(Locale.ROOT, "%-10s %4s %6s %5s %5s | %8s %6s %6s %5s %5s %5s | %9s %6s %6s %5s %5s %5s | %s%n",
                "day", "wave", "tx", "fraud", "wave", "loop CP", "AP", "alerts", "wave", "cards", "w.rev", "frozen CP",
                "AP", "alerts", "wave", "cards", "w.rev", "loop cycle after the day");
        for (WaveReplay.Day d : table) {
            out.printf(Locale.ROOT, "%-10s %4s %,6d %5d %5d | %8.3f %6.3f %6d %5d %5d %5d | %9.3f %6.3f %6d %5d %5d %5d | "
                            + "%s%n", d.date(), d.waveOn() ? "on" : "off", d.payments(), d.frauds(), d.waveFrauds(),
                    d.loop().cardPrecision(), d.loop().averagePrecision(), d.loop().alerts(), d.loop().waveAlerts(),
                    d.loop().reviewedCards(), d.loop().waveReviewed(), d.frozen().cardPrecision(),
                    d.frozen().averagePrecision(), d.frozen().alerts(), d.frozen().waveAlerts(),
                    d.frozen().reviewedCards(), d.frozen().waveReviewed(), d.loop().cycle());
        }
        out.printf(Locale.ROOT, "(cards: cards the analysts reviewed that day, of the %d they can; w.rev: wave frauds among "
                + "the reviewed payments)%n", k);
        for (boolean waveOn : new boolean[] {false, true}) {
            List<WaveReplay.Day> part = table.stream().filter(d -> d.waveOn() == waveOn).toList();
            out.printf(Locale.ROOT, "%s (%d days): loop CP@%d %s AP %s | frozen CP@%d %s AP %s | daily loop - frozen: "
                            + "CP %s, AP %s (mean +- standard error)%n", waveOn ? "wave on " : "wave off", part.size(),
                    k, fmt(mean(part, d -> d.loop().cardPrecision()), "%.3f"),
                    fmt(mean(part, d -> d.loop().averagePrecision()), "%.3f"), k,
                    fmt(mean(part, d -> d.frozen().cardPrecision()), "%.3f"),
                    fmt(mean(part, d -> d.frozen().averagePrecision()), "%.3f"),
                    difference(part, d -> d.loop().cardPrecision() - d.frozen().cardPrecision()),
                    difference(part, d -> d.loop().averagePrecision() - d.frozen().averagePrecision()));
        }
        out.flush();
    }

    private void printMemory(PrintWriter out, List<FastMemory.Day> days) {
        out.printf(Locale.ROOT, "%nfast memory, the first adapter in both: retrieval from the labels as they arrive vs "
                + "retrieval frozen at the wave's start%n");
        out.printf(Locale.ROOT, "%-10s | %8s %6s %5s | %9s %6s %5s%n", "day", "live CP", "AP", "wave", "frozen CP", "AP",
                "wave");
        for (FastMemory.Day d : days) {
            out.printf(Locale.ROOT, "%-10s | %8.3f %6.3f %5d | %9.3f %6.3f %5d%n", d.date(), d.liveCp(), d.liveAp(),
                    d.liveWaveAlerts(), d.frozenCp(), d.frozenAp(), d.frozenWaveAlerts());
        }
        double[] diffCp = days.stream().mapToDouble(d -> d.liveCp() - d.frozenCp()).filter(Double::isFinite).toArray();
        double[] diffAp = days.stream().mapToDouble(d -> d.liveAp() - d.frozenAp()).filter(Double::isFinite).toArray();
        out.printf(Locale.ROOT, "fast memory (%d wave days): live retrieval CP@%d %s AP %s, %d wave frauds alerted | "
                        + "frozen retrieval CP@%d %s AP %s, %d alerted | daily live - frozen: CP %s, AP %s%n",
                days.size(), k, fmt(days.stream().mapToDouble(FastMemory.Day::liveCp).average().orElse(Double.NaN),
                        "%.3f"),
                fmt(days.stream().mapToDouble(FastMemory.Day::liveAp).average().orElse(Double.NaN), "%.3f"),
                days.stream().mapToInt(FastMemory.Day::liveWaveAlerts).sum(), k,
                fmt(days.stream().mapToDouble(FastMemory.Day::frozenCp).average().orElse(Double.NaN), "%.3f"),
                fmt(days.stream().mapToDouble(FastMemory.Day::frozenAp).average().orElse(Double.NaN), "%.3f"),
                days.stream().mapToInt(FastMemory.Day::frozenWaveAlerts).sum(), meanError(diffCp), meanError(diffAp));
        out.flush();
    }

    /** "mean +- standard error" of daily differences, or n/a with fewer than two days. */
    private static String meanError(double[] d) {
        if (d.length < 2) {
            return "n/a";
        }
        double mean = java.util.Arrays.stream(d).average().orElse(Double.NaN);
        double var = java.util.Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum() / (d.length - 1);
        return String.format(Locale.ROOT, "%+.3f +- %.3f", mean, Math.sqrt(var / d.length));
    }

    /**
     * The first day (0 = the wave's start) from which the loop stays ahead: its CP@k above the frozen adapter's that
     * day and not below it on any later wave day; "none" when there is no such day.
     */
    static String firstWinDay(List<WaveReplay.Day> wave) {
        for (int d = 0; d < wave.size(); d++) {
            if (!(wave.get(d).loop().cardPrecision() > wave.get(d).frozen().cardPrecision())) {
                continue;
            }
            boolean stays = true;
            for (int later = d + 1; later < wave.size() && stays; later++) {
                stays = !(wave.get(later).loop().cardPrecision() < wave.get(later).frozen().cardPrecision());
            }
            if (stays) {
                return Integer.toString(d);
            }
        }
        return "none";
    }

    private static double mean(List<WaveReplay.Day> days, ToDoubleFunction<WaveReplay.Day> metric) {
        return days.stream().mapToDouble(metric).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static String difference(List<WaveReplay.Day> days, ToDoubleFunction<WaveReplay.Day> diff) {
        return meanError(days.stream().mapToDouble(diff).filter(Double::isFinite).toArray());
    }

    private static String fmt(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "NaN";
    }
}
