package dev.vigil.trainer.history;

import dev.vigil.evaluation.TestWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The time split of one training run, every window half-open ({@code from <= t < to}):
 *
 * <pre>
 *   [trainFrom ............................ trainTo)  gap  [testFrom ...... testTo)
 *                          [adapterFrom ... trainTo)
 * </pre>
 *
 * The base trains on the train window, the first adapter on its most recent part (the adapter window), and the
 * test window is scored and evaluated. The gap between train and test is at least the label delay: the labels of
 * the last training days would not be known yet when the test days are scored, and the gap is what keeps using
 * them honest (the Fraud Detection Handbook's protocol).
 *
 * @param labelDelay how long after a payment its fraud label is known
 */
public record TrainingWindows(
        Instant trainFrom, Instant trainTo, Instant adapterFrom, Instant testFrom, Instant testTo,
        Duration labelDelay) {

    /** Where a transaction falls. */
    public enum Role {
        /** Before the train window: walked (it builds card history and context), not kept. */
        BEFORE,
        /** In the train window. */
        TRAIN,
        /** Between the train and test windows: walked, not kept. */
        GAP,
        /** In the test window. */
        TEST,
        /** After the test window: not needed at all. */
        AFTER
    }

    public TrainingWindows {
        Objects.requireNonNull(trainFrom, "trainFrom");
        Objects.requireNonNull(trainTo, "trainTo");
        Objects.requireNonNull(adapterFrom, "adapterFrom");
        Objects.requireNonNull(testFrom, "testFrom");
        Objects.requireNonNull(testTo, "testTo");
        Objects.requireNonNull(labelDelay, "labelDelay");
        if (!trainTo.isAfter(trainFrom)) {
            throw new IllegalArgumentException("--train-to (" + trainTo + ") must be after --train-from ("
                    + trainFrom + ")");
        }
        if (adapterFrom.isBefore(trainFrom) || !adapterFrom.isBefore(trainTo)) {
            throw new IllegalArgumentException("the adapter window must start inside the train window ["
                    + trainFrom + ", " + trainTo + "), got " + adapterFrom);
        }
        if (testFrom.isBefore(trainTo)) {
            throw new IllegalArgumentException("--test-from (" + testFrom + ") must not be before --train-to ("
                    + trainTo + "): the test window may not overlap the train window");
        }
        if (!testTo.isAfter(testFrom)) {
            throw new IllegalArgumentException("--test-to (" + testTo + ") must be after --test-from ("
                    + testFrom + ")");
        }
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("--label-delay must not be negative, got " + labelDelay);
        }
    }

    /**
     * Resolves the command's options. Without {@code testFrom} the test window starts one label delay after the
     * train window; without {@code testTo} it lasts {@code testDays}. The adapter window is the last
     * {@code adapterDays} of the train window (the whole window when it is shorter).
     */
    public static TrainingWindows resolve(Instant trainFrom, Instant trainTo, Instant testFrom, Instant testTo,
            Duration labelDelay, int testDays, int adapterDays) {
        if (testDays < 1) {
            throw new IllegalArgumentException("--test-days must be at least 1, got " + testDays);
        }
        if (adapterDays < 1) {
            throw new IllegalArgumentException("--adapter-days must be at least 1, got " + adapterDays);
        }
        Instant from = testFrom != null ? testFrom : trainTo.plus(labelDelay);
        Instant to = testTo != null ? testTo : from.plus(Duration.ofDays(testDays));
        Instant adapter = trainTo.minus(Duration.ofDays(adapterDays));
        if (adapter.isBefore(trainFrom)) {
            adapter = trainFrom;
        }
        return new TrainingWindows(trainFrom, trainTo, adapter, from, to, labelDelay);
    }

    /** The role of a transaction at {@code eventTime}. */
    public Role roleOf(Instant eventTime) {
        if (eventTime.isBefore(trainFrom)) {
            return Role.BEFORE;
        }
        if (eventTime.isBefore(trainTo)) {
            return Role.TRAIN;
        }
        if (eventTime.isBefore(testFrom)) {
            return Role.GAP;
        }
        if (eventTime.isBefore(testTo)) {
            return Role.TEST;
        }
        return Role.AFTER;
    }

    /** True for a train-window transaction in the adapter window. */
    public boolean inAdapterWindow(Instant eventTime) {
        return !eventTime.isBefore(adapterFrom) && eventTime.isBefore(trainTo);
    }

    /** The gap between the end of training and the start of the test. */
    public Duration gap() {
        return Duration.between(trainTo, testFrom);
    }

    /** The test window as the evaluation module takes it. */
    public TestWindow testWindow() {
        return new TestWindow(testFrom, testTo);
    }

    /** Things a person should know about this split (empty when it follows the protocol). */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (gap().compareTo(labelDelay) < 0) {
            warnings.add("the gap between training and test (" + gap().toHours() + " h) is shorter than the label "
                    + "delay (" + labelDelay.toHours() + " h): the last training labels would not be known yet "
                    + "when the first test days are scored, so the test metrics are optimistic");
        }
        return warnings;
    }
}
