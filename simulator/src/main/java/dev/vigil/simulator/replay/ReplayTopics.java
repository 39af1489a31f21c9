package dev.vigil.simulator.replay;

import dev.vigil.schemas.Topics;

/** The topics a replay writes: Vigil's by default; others for tests or a side-by-side environment. */
public record ReplayTopics(String transactions, String labels) {

    public static final ReplayTopics DEFAULT = new ReplayTopics(Topics.TRANSACTIONS, Topics.LABELS);

    public ReplayTopics {
        if (transactions == null || transactions.isBlank() || labels == null || labels.isBlank()) {
            throw new IllegalArgumentException("topic names must not be blank");
        }
    }
}
