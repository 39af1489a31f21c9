package dev.vigil.streams.adapters;

import dev.vigil.model.adapter.LiveAdapter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the live adapter. The scoring processor reads it once per batch and scores the whole batch with that one
 * adapter, so a swap takes effect between batches, never inside one, and the version stamped on a score is the
 * adapter that made it. The updater replaces it after verification.
 */
public final class AdapterSlot {

    private final AtomicReference<LiveAdapter> live;

    public AdapterSlot(LiveAdapter initial) {
        this.live = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public LiveAdapter get() {
        return live.get();
    }

    /** Makes {@code next} live; returns the adapter it replaces. */
    public LiveAdapter swap(LiveAdapter next) {
        return live.getAndSet(Objects.requireNonNull(next, "next"));
    }
}
