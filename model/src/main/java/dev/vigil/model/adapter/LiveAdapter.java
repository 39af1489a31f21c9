package dev.vigil.model.adapter;

import dev.vigil.model.adapter.Adapter;
import java.util.Objects;

/**
 * The adapter the scorer uses now, with its release identity: every score carries {@link #version}.
 *
 * @param version the release version (e.g. {@code 1} for the trainer's first adapter)
 * @param sequence the release's sequence on {@code fraud.adapters}; a later release must have a higher one
 */
public record LiveAdapter(String version, long sequence, Adapter adapter) {

    public LiveAdapter {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(adapter, "adapter");
    }
}
