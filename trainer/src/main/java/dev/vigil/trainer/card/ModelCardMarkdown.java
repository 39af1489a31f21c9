package dev.vigil.trainer.card;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link ModelCard} as {@code model-card.md}: the same numbers as the JSON, for people. */
public final class ModelCardMarkdown {

    private ModelCardMarkdown() {}

    public static void write(ModelCard card, Path file) throws IOException {
        Files.writeString(file, render(card), StandardCharsets.UTF_8);
    }

    public static String render(ModelCard card) {
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(card.name()).append("\n\n");
        md.append("Created ").append(card.createdAt()).append(" from code ").append(card.code().describe())
                .append(", seed ").append(card.seed()).append(".\n\n");

        // headline: served model and the baseline side by side
        md.append("## Test metrics\n\n");
        ModelCard.Protocol p = card.evaluation().protocol();
        md.append(String.format(Locale.ROOT, "Test window [%s, %s), label delay %d days, known-compromised cards "
                        + "excluded (fraud history from %s, %d compromised cards), CP@%d per day (Fraud Detection "
                        + "Handbook). %s%n%n", p.testFrom(), p.testTo(), p.labelDelayDays(), p.historyFrom(),
                p.compromisedCardsInHistory(), p.k(), p.description()));
        md.append("| model | AUC-ROC | AP | CP@").append(p.k()).append(" (mean) | evaluated | frauds |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (ModelCard.ModelMetrics m : card.evaluation().models()) {
            md.append("| ").append(m.description()).append(" | ").append(num(m.auc())).append(" | ")
                    .append(num(m.averagePrecision())).append(" | ").append(num(m.cardPrecisionAtK()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", m.counts().evaluated())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", m.counts().frauds())).append(" |\n");
        }
        md.append('\n');

        ModelCard.ModelMetrics served = card.metrics(ModelCard.SERVED);
        ModelCard.ModelMetrics baseline = card.metrics(ModelCard.BASELINE);
        if (served != null) {
            md.append("### CP@").append(p.k()).append(" per test day\n\n");
            md.append("| day | served model | baseline | best possible | fraudulent cards | cards ranked |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
            for (int i = 0; i < served.cardPrecisionPerDay().size(); i++) {
                ModelCard.DayMetrics d = served.cardPrecisionPerDay().get(i);
                String theirs = baseline != null && i < baseline.cardPrecisionPerDay().size()
                        ? num(baseline.cardPrecisionPerDay().get(i).precision()) : "";
                md.append("| ").append(d.day()).append(" | ").append(num(d.precision())).append(" | ")
                        .append(theirs).append(" | ").append(num(d.bestPossible())).append(" | ")
                        .append(d.fraudulentCards()).append(" | ").append(d.cardsRanked()).append(" |\n");
            }
            md.append('\n');
            if (served.averagePrecisionPerScenario() != null && !served.averagePrecisionPerScenario().isEmpty()) {
                md.append("### Per fraud scenario (that scenario's frauds against all genuine transactions)\n\n");
                md.append("| scenario | AP served | AP baseline | AUC served | AUC baseline |\n");
                md.append("| --- | ---: | ---: | ---: | ---: |\n");
                for (Map.Entry<String, Double> e : served.averagePrecisionPerScenario().entrySet()) {
                    String s = e.getKey();
                    md.append("| ").append(s).append(" | ").append(num(e.getValue())).append(" | ")
                            .append(num(get(baseline == null ? null : baseline.averagePrecisionPerScenario(), s)))
                            .append(" | ").append(num(get(served.aucPerScenario(), s))).append(" | ")
                            .append(num(get(baseline == null ? null : baseline.aucPerScenario(), s))).append(" |\n");
                }
                md.append('\n');
            }
        }

        md.append("## Targets\n\n| target | measured | met | shortfall | why |\n| --- | ---: | --- | --- | --- |\n");
        for (ModelCard.Target t : card.targets()) {
            md.append("| ").append(t.requirement()).append(" | ").append(num(t.measured())).append(" | ")
                    .append(t.met() ? "yes" : "**no**").append(" | ").append(t.shortfall() == null ? "" : t.shortfall())
                    .append(" | ").append(t.why() == null ? "" : t.why()).append(" |\n");
        }
        md.append('\n');

        ModelCard.Quantization q = card.int8VsFp32();
        ModelCard.Latency l = card.latency();
        md.append("## int8 against fp32\n\n");
        if (q != null) {
            md.append(String.format(Locale.ROOT, "AP fp32 %s, int8 %s (difference %s); scores differ by %.5f at most,"
                            + " %.6f on average.%n%n", num(q.apFp32()), num(q.apInt8()), signed(q.apDifference()),
                    q.maxAbsScoreDifference(), q.meanAbsScoreDifference()));
        }
        if (l != null) {
            md.append("| us per transaction | batch 1 | batch 64 | size on disk | resident memory |\n");
            md.append("| --- | ---: | ---: | ---: | ---: |\n");
            md.append(String.format(Locale.ROOT, "| int8 | %.1f | %.1f | %s | %s |%n", l.int8Batch1(), l.int8Batch64(),
                    bytes(l.int8FileBytes()), bytes(l.int8ResidentBytes())));
            md.append(String.format(Locale.ROOT, "| fp32 | %.1f | %.1f | %s | %s |%n", l.fp32Batch1(), l.fp32Batch64(),
                    bytes(l.fp32FileBytes()), bytes(l.fp32ResidentBytes())));
            md.append(String.format(Locale.ROOT, "| int8 speed-up | %.2fx | %.2fx | | |%n%n", l.speedUpBatch1(),
                    l.speedUpBatch64()));
            md.append(String.format(Locale.ROOT, "%s ONNX Runtime on %s, %d intra-op thread(s), %s, median of %d "
                    + "repetitions, load average %.1f.%n%n", l.method(), l.runsOn(), l.threads(),
                    l.optimizationLevel(), l.reps(), l.loadAverage()));
        }

        md.append("## Data and windows\n\n");
        ModelCard.Data d = card.data();
        ModelCard.Windows w = card.windows();
        md.append(String.format(Locale.ROOT, "- data: `%s` (sha256 `%s`), %,d transactions (%,d unreadable and %,d "
                        + "duplicate rows skipped), %,d frauds, %s .. %s; optional columns present: %s%n", d.path(),
                d.sha256(), d.rows(), d.badRows(), d.duplicateRows(), d.frauds(), d.firstEventTime(), d.lastEventTime(),
                d.optionalColumns().isEmpty() ? "none" : String.join(", ", d.optionalColumns())));
        md.append(String.format(Locale.ROOT, "- train [%s, %s), adapter [%s, %s), test [%s, %s); gap %.1f days, "
                        + "label delay %d days%n", w.trainFrom(), w.trainTo(), w.adapterFrom(), w.adapterTo(),
                w.testFrom(), w.testTo(), w.gapDays(), w.labelDelayDays()));
        md.append("- protocol: ").append(w.protocol()).append('\n');
        ModelCard.Examples e = card.examples();
        md.append(String.format(Locale.ROOT, "- examples: %,d transactions walked; train window %,d (%,d frauds); "
                        + "base set %,d (%,d frauds, genuine kept at rate %s, reweighted); adapter set %,d (%,d frauds); "
                        + "test %,d (%,d frauds); features held %s%n%n", e.walked(), e.trainTransactions(),
                e.trainFrauds(), e.baseExamples(), e.baseFrauds(), trim(e.negativeSampleRate()), e.adapterExamples(),
                e.adapterFrauds(), e.testTransactions(), e.testFrauds(), bytes(e.featureBytes())));

        md.append("## Network and training\n\n");
        ModelCard.Parameters params = card.parameters();
        md.append(String.format(Locale.ROOT, "- parameters: base %,d, LoRA %,d, total %,d; trainable after the base "
                        + "is frozen: %.2f%%%n", params.base(), params.lora(), params.total(),
                100 * params.trainableShare()));
        md.append("- hyper-parameters: ");
        md.append(String.join(", ", card.hyperParameters().entrySet().stream()
                .map(h -> h.getKey() + " " + h.getValue()).toList())).append('\n');
        ModelCard.Training t = card.training();
        md.append(String.format(Locale.ROOT, "- base: %d epoch(s) of %,d examples, %,d steps, %.0f s (%,.0f ex/s), "
                        + "epoch losses %s, learning rates %s%n", t.base().epochs(), t.base().examplesPerEpoch(),
                t.base().steps(), t.base().seconds(), t.base().examplesPerSecond(), losses(t.base().epochLosses()),
                String.join(" ", t.base().learningRates().stream().map(r -> new java.math.BigDecimal(Float.toString(r)).toPlainString())
                        .toList())));
        md.append(String.format(Locale.ROOT, "- adapter: %d epoch(s) of %,d examples, %,d steps, %.0f s (%,.0f ex/s), "
                        + "epoch losses %s%n", t.adapter().epochs(), t.adapter().examplesPerEpoch(),
                t.adapter().steps(), t.adapter().seconds(), t.adapter().examplesPerSecond(),
                losses(t.adapter().epochLosses())));
        md.append(String.format(Locale.ROOT, "- wall time %.0f s: read %.0f s, point-in-time walk %.0f s (%,.0f tx/s), "
                        + "base %.0f s, adapter %.0f s, export %.1f s, baseline %.0f s, scoring %.0f s, latency %.0f s;"
                        + " %d thread(s), heap limit %s, peak heap used %s%n%n", t.wallSeconds(), t.readSeconds(),
                t.walkSeconds(), t.walkTransactionsPerSecond(), t.base().seconds(), t.adapter().seconds(),
                t.exportSeconds(), t.baselineSeconds(), t.scoringSeconds(), t.benchSeconds(), t.threads(),
                bytes(t.maxHeapBytes()), bytes(t.peakHeapUsedBytes())));

        ModelCard.AdapterInfo a = card.adapter();
        md.append("## Adapter\n\n");
        md.append(String.format(Locale.ROOT, "`%s`: version %s (sequence %d, parent %s), rank %d, alpha %s, %,d "
                        + "parameters, trained on [%s, %s) with the base frozen; sha256 `%s`; base model `%s`.%n%n",
                a.file(), a.version(), a.sequence(), a.parentVersion() == null ? "none" : a.parentVersion(), a.rank(),
                trim(a.alpha()), a.parameters(), a.trainedFrom(), a.trainedTo(), a.sha256(), card.baseModelSha256()));

        ModelCard.Baseline b = card.baseline();
        if (b != null) {
            md.append("## Baseline\n\n");
            md.append(String.format(Locale.ROOT, "%s, %d rounds, %s; %d features (%s); trained on the base set "
                            + "(%,d examples, same weights) in %.0f s.%n", b.kind(), b.rounds(), b.parameters(),
                    b.features(), b.featureDescription(), b.trainingExamples(), b.trainSeconds()));
            if (!b.topFeatures().isEmpty()) {
                md.append("Top features by total gain: ").append(String.join(", ", b.topFeatures().stream()
                        .map(f -> f.feature()).toList())).append(".\n");
            }
            md.append('\n');
        }

        md.append("## Files\n\n| file | bytes | sha256 |\n| --- | ---: | --- |\n");
        for (ModelCard.FileEntry f : card.files()) {
            md.append("| ").append(f.name()).append(" | ").append(String.format(Locale.ROOT, "%,d", f.bytes()))
                    .append(" | `").append(f.sha256()).append("` |\n");
        }
        md.append("\n(model-card.json and model-card.md themselves are not listed.)\n\n");

        if (!card.warnings().isEmpty() || !card.notes().isEmpty()) {
            md.append("## Warnings and notes\n\n");
            card.warnings().forEach(x -> md.append("- **warning**: ").append(x).append('\n'));
            card.notes().forEach(x -> md.append("- ").append(x).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    private static Double get(Map<String, Double> values, String key) {
        return values == null ? null : values.get(key);
    }

    private static String num(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String signed(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%+.4f", value);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static String losses(List<Double> values) {
        return values.isEmpty() ? "none" : String.join(" ", values.stream()
                .map(v -> String.format(Locale.ROOT, "%.5f", v)).toList());
    }

    static String bytes(long bytes) {
        if (bytes < 0) {
            return "n/a";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
