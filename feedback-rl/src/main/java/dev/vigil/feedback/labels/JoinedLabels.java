package dev.vigil.feedback.labels;

import dev.vigil.feedback.decisions.DecisionLog;
import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.schemas.avro.FraudLabel;
import java.time.Duration;

/**
 * What the loop knows between cycles, in memory only: the {@link DecisionLog} of logged decisions, the
 * {@link LabelJoin} of labels to them (with the labels still waiting for their decision) and the {@link LabelWindow}
 * of labeled decisions a cycle learns from. The two readers feed it; a restart rebuilds it from the topics.
 */
public final class JoinedLabels {

    private final DecisionLog decisions;
    private final LabelJoin join;
    private final LabelWindow window;

    public JoinedLabels(Duration decisionRetention, int decisionCapacity, Duration pendingRetention,
            int pendingCapacity, Duration labelRetention, int labelCapacity) {
        this.decisions = new DecisionLog(decisionRetention, decisionCapacity);
        this.join = new LabelJoin(decisions, pendingRetention, pendingCapacity);
        this.window = new LabelWindow(labelRetention, labelCapacity);
    }

    /** Logs a decision; the labels that were waiting for it join the window. */
    public void onDecision(LoggedDecision decision) {
        decisions.add(decision);
        join.onDecision(decision).forEach(window::add);
    }

    /** Joins a label read at {@code partition}/{@code offset} of the labels topic, or keeps it waiting. */
    public void onLabel(FraudLabel label, int partition, long offset) {
        join.onLabel(label, partition, offset).ifPresent(window::add);
    }

    public DecisionLog decisions() {
        return decisions;
    }

    /** The join's counters (joined, unknown, late, expired). */
    public LabelJoin join() {
        return join;
    }

    public LabelWindow window() {
        return window;
    }
}
