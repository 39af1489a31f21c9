package dev.vigil.console.model;

import dev.vigil.schemas.avro.GateOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The feedback loop's refused candidates, as its gate published them on {@code fraud.gate} (the topic follower fills
 * this): the newest {@link #CAPACITY} kept, in the order read. Promotions are on the topic too; their numbers are
 * already in their releases, so only refusals are kept here. Thread-safe.
 */
public final class GateVerdicts {

    /** Most refusals kept: the page shows recent history, not all of it. */
    public static final int CAPACITY = 200;
    static final String REFUSED = "refused";

    private final Deque<GateOutcome> refusals = new ArrayDeque<>();

    /** Takes one verdict from the topic; a promotion is not kept. */
    public synchronized void onVerdict(GateOutcome verdict) {
        if (!REFUSED.equals(verdict.getOutcome())) {
            return;
        }
        refusals.addLast(verdict);
        while (refusals.size() > CAPACITY) {
            refusals.removeFirst();
        }
    }

    /** The refusals kept, newest first. */
    public synchronized List<GateOutcome> refusals() {
        List<GateOutcome> newestFirst = new ArrayList<>(refusals.size());
        refusals.descendingIterator().forEachRemaining(newestFirst::add);
        return newestFirst;
    }
}
