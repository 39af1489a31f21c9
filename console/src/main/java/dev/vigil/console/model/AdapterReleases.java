package dev.vigil.console.model;

import dev.vigil.feedback.releases.ReleaseLog;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.GateOutcome;
import java.io.IOException;
import java.util.List;

/**
 * The adapter releases on {@code fraud.adapters}, the gate's refusals on {@code fraud.gate}, and the rollback
 * ({@link KafkaAdapterReleases}).
 */
public interface AdapterReleases {

    /** Every release on the topic, in topic order, each marked verified or not. */
    List<ReleaseLog.Entry> history() throws IOException;

    /** The feedback loop's refused candidates with the gate's numbers, newest first ({@code fraud.gate}). */
    List<GateOutcome> refusals();

    /**
     * Republishes {@code version} as the newest release, exactly as {@code ./vigil adapters rollback VERSION}.
     *
     * @throws IllegalArgumentException when there is no such release to roll back to
     * @throws IllegalStateException    when this console cannot sign (no signing key)
     */
    AdapterRelease rollback(String version) throws IOException;
}
