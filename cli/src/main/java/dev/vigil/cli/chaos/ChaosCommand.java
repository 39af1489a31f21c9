package dev.vigil.cli.chaos;

import dev.vigil.cli.logging.HarnessLogs;
import dev.vigil.model.ModelDirectory;
import dev.vigil.stack.files.FileTree;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil chaos}: the fault suite. On a fresh local stack, two scorer processes share a paced load of simulated
 * payments while each fault is injected in turn: poison and malformed records, adapter attacks, three scorer
 * SIGKILLs, one of two scorers killed for a while, OpenSearch hung and killed, the schema registry hung, a broker
 * restart. Every score and dead letter is read back with read_committed and the table says, per fault: payments
 * produced in its window, scored, missing, scored twice, dead letters by stage, the degraded share, the largest gap
 * between scores on one partition, the recovery time and (after a heal) how long degraded scores went on. The last
 * line: {@code chaos: N faults, lost L, duplicated D, largest gap G s, poison pills P}, P being the faults after
 * which scoring did not resume. Exit status 0 when L, D and P are 0.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Fault suite: two scorers under load on a fresh local stack, each fault in turn, then a table "
                + "of what was lost, duplicated, dead-lettered and how long scoring stalled.")
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = ".vigil/models/demo", paramLabel = "DIR",
            description = "The model the scorers serve (./vigil demo trains .vigil/models/demo). Default: "
                    + "${DEFAULT-VALUE}.")
    Path model;

    @Option(names = "--rate", defaultValue = "200", paramLabel = "TX/S",
            description = "Payments offered per second throughout. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--hold-seconds", defaultValue = "10", paramLabel = "S",
            description = "How long a hang lasts (a lone scorer: twice that). Default: ${DEFAULT-VALUE}.")
    int holdSeconds;

    @Option(names = "--settle-seconds", defaultValue = "15", paramLabel = "S",
            description = "Load without a fault after each one (and before the first). Default: ${DEFAULT-VALUE}.")
    int settleSeconds;

    @Option(names = "--work-dir", defaultValue = ".vigil/chaos", paramLabel = "DIR",
            description = "Stack data, scorer logs and state, keys; wiped at start. Default: ${DEFAULT-VALUE}.")
    Path workDir;

    @Option(names = "--seed", defaultValue = "7", description = "Simulation seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (rate < 1 || rate > 5_000) {
            System.err.println("chaos: --rate must be between 1 and 5000, got " + rate);
            return 2;
        }
        if (holdSeconds < 1 || settleSeconds < 1) {
            System.err.println("chaos: --hold-seconds and --settle-seconds must be at least 1");
            return 2;
        }
        List<String> missing = Files.isDirectory(model) ? new ModelDirectory(model).missingFiles()
                : ModelDirectory.FILES;
        if (!missing.isEmpty()) {
            System.err.println("chaos: " + model + " is not a trained model (missing " + missing + "); run "
                    + "./vigil demo once (it trains .vigil/models/demo) or give --model DIR");
            return 2;
        }
        // a fresh stack and signing key: the scorers' old state (stores, the saved live adapter) would not match
        for (String old : List.of("scorer-a-state", "scorer-b-state", "keys")) {
            FileTree.delete(workDir.resolve(old));
        }
        ChaosRun run = new ChaosRun(new ChaosRun.Settings(model, workDir, rate, Duration.ofSeconds(holdSeconds),
                Duration.ofSeconds(settleSeconds), seed), out);
        Path logFile = workDir.resolve("chaos.log");
        if (HarnessLogs.redirectTo(logFile)) {
            out.println("chaos: this process logs to " + logFile + " (the broker's faults are loud)");
        }
        List<Ledger.Row> rows;
        try {
            rows = run.run();
        } finally {
            HarnessLogs.restore();
        }
        print(rows, run.ledger(), out);
        Ledger ledger = run.ledger();
        long poisonPills = rows.stream().filter(r -> !r.resumed()).count();
        return ledger.missing() == 0 && ledger.duplicated() == 0 && poisonPills == 0 ? 0 : 1;
    }

    static void print(List<Ledger.Row> rows, Ledger ledger, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-38s %8s %8s %7s %4s %8s %-34s %7s %8s %8s %9s %8s  %s%n", "fault", "produced",
                "scored", "missing", "dup", "degraded", "dead letters", "p99 ms", "max wait", "max gap", "recovered",
                "ctx back", "note");
        for (Ledger.Row r : rows) {
            String letters = r.deadLetters().isEmpty() ? "-" : r.deadLetters().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            out.printf(Locale.ROOT, "%-38s %8d %8d %7d %4d %7.1f%% %-34s %7d %7.1fs %7.1fs %8.1fs %7.1fs  %s%s%n",
                    r.fault(), r.produced(), r.scored(), r.missing(), r.duplicated(), 100 * r.degradedShare(), letters,
                    r.p99Millis(), r.maxWaitMillis() / 1000.0, r.largestGapMillis() / 1000.0,
                    r.recoveryMillis() / 1000.0, r.contextBackMillis() / 1000.0,
                    r.resumed() ? "" : "SCORING DID NOT RESUME; ", r.note() == null ? "" : r.note());
        }
        long gap = rows.stream().mapToLong(Ledger.Row::largestGapMillis).max().orElse(0);
        long poisonPills = rows.stream().filter(r -> !r.resumed()).count();
        int deadLetters = rows.stream().mapToInt(r -> r.deadLetters().values().stream().mapToInt(i -> i).sum()).sum();
        out.printf(Locale.ROOT, "%nchaos: %d payments produced, %d scored, %d dead letters; a score is visible once "
                + "its transaction commits (read_committed)%n", ledger.producedCount(), ledger.scoredCount(),
                deadLetters);
        out.printf(Locale.ROOT, "chaos: %d faults, lost %d, duplicated %d, largest gap %.1f s, poison pills %d%n",
                rows.size(), ledger.missing(), ledger.duplicated(), gap / 1000.0, poisonPills);
    }
}
