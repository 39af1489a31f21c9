package dev.vigil.cli.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Everything one demo run is told, checked here with the name of the bad option.
 *
 * @param liveDays       simulated days streamed live (paced) after the history
 * @param historyDays    simulated days before the live ones: the base model trains on them and the pipeline scores
 *                       them at full speed first (the warm-up), so card state, cases, decisions and labels are warm
 * @param warmUpDays     the last history days pushed through the whole pipeline at full speed before the live ones,
 *                       so that card state, cases, the loop's decision log and labels are warm (earlier history days
 *                       only train the base: scoring them all would take minutes on two cores)
 * @param warmUpRate     payments per second offered during the warm-up (0: as fast as the scorer takes them)
 * @param waveDay        the live day (1-based) on which the fuel-station wave starts
 * @param secondsPerDay  wall-clock seconds one live simulated day takes
 * @param modelDir       the model; trained on the history when the directory holds no model
 * @param trainEpochs    base epochs when the model is trained here
 * @param plain          plain progress lines even on a terminal
 */
public record DemoSettings(int liveDays, int historyDays, int warmUpDays, double warmUpRate, int waveDay, int cards, int merchants, long seed, double secondsPerDay,
                           Path dataDir, Path modelDir, Path reportDir, Path keysDir, int k, int trainEpochs,
                           boolean plain) {

    /** The simulation's first day; fixed so that the same options give the same payments. */
    public static final LocalDate START = LocalDate.of(2026, 1, 1);
    /** The issuer's chargeback delay, as everywhere in Vigil. */
    public static final Duration LABEL_DELAY = Duration.ofDays(7);

    public DemoSettings {
        if (liveDays < 1 || liveDays > 60) {
            throw new IllegalArgumentException("--days must be between 1 and 60, got " + liveDays);
        }
        if (historyDays < 10 || historyDays > 120) {
            throw new IllegalArgumentException("--history-days must be between 10 and 120, got " + historyDays);
        }
        if (warmUpDays < 1 || warmUpDays > historyDays) {
            throw new IllegalArgumentException("--warm-up-days must be between 1 and --history-days (" + historyDays
                    + "), got " + warmUpDays);
        }
        if (!(warmUpRate >= 0) || Double.isInfinite(warmUpRate)) {
            throw new IllegalArgumentException("--warm-up-rate must be a number >= 0, got " + warmUpRate);
        }
        if (waveDay < 1 || waveDay > liveDays) {
            throw new IllegalArgumentException("--wave-day must be between 1 and --days (" + liveDays + "), got "
                    + waveDay);
        }
        if (cards < 100) {
            throw new IllegalArgumentException("--cards must be at least 100, got " + cards);
        }
        if (merchants < 50) {
            throw new IllegalArgumentException("--merchants must be at least 50, got " + merchants);
        }
        if (!(secondsPerDay >= 1 && secondsPerDay <= 86_400)) {
            throw new IllegalArgumentException("--seconds-per-day must be between 1 and 86400, got " + secondsPerDay);
        }
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        if (trainEpochs < 1) {
            throw new IllegalArgumentException("--train-epochs must be at least 1, got " + trainEpochs);
        }
    }

    public int totalDays() {
        return historyDays + liveDays;
    }

    /** The first live day: the stream is paced from its midnight on, and the wave starts on it. */
    public LocalDate liveStartDay() {
        return START.plusDays(historyDays);
    }

    public Instant liveStart() {
        return liveStartDay().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Where the replay starts: the first warm-up day. */
    public Instant warmUpStart() {
        return liveStartDay().minusDays(warmUpDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant historyStart() {
        return START.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant end() {
        return START.plusDays(totalDays()).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first day of the fuel-station wave. */
    public LocalDate waveStartDay() {
        return liveStartDay().plusDays(waveDay - 1);
    }

    /** The wave's first day as the simulation counts days (0 = the first simulated day). */
    public int waveStartIndex() {
        return historyDays + waveDay - 1;
    }

    /** 1-based live day of {@code day}; 0 or less for a history day. */
    public int liveDayNumber(LocalDate day) {
        return (int) (day.toEpochDay() - liveStartDay().toEpochDay()) + 1;
    }

    public Path simulationCsv() {
        return dataDir.resolve("payments.csv");
    }

    public Path logFile() {
        return dataDir.resolve("demo.log");
    }
}
