package dev.vigil.console;

import dev.vigil.console.model.AdapterReleases;
import dev.vigil.feedback.releases.ReleaseLog;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.GateOutcome;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Releases held in a list; a rollback appends the version again with the next sequence, as the real one does. */
final class FakeAdapterReleases implements AdapterReleases {

    final List<ReleaseLog.Entry> entries = new ArrayList<>();
    final List<GateOutcome> refusals = new ArrayList<>();

    FakeAdapterReleases refuse(String live, String reason, Map<String, Double> metrics) {
        refusals.add(0, GateOutcome.newBuilder().setDecidedTime(Instant.parse("2026-01-24T11:00:00Z"))
                .setBaseModelHash("base").setOutcome("refused").setLiveVersion(live).setReleaseVersion(null)
                .setReason(reason).setMetrics(Map.copyOf(metrics)).build());
        return this;
    }

    @Override
    public synchronized List<GateOutcome> refusals() {
        return List.copyOf(refusals);
    }

    FakeAdapterReleases add(String version, String parent, Map<String, Double> metrics) {
        long sequence = entries.size() + 1;
        AdapterRelease r = AdapterRelease.newBuilder().setVersion(version).setParentVersion(parent)
                .setSequence(sequence).setBaseModelHash("base").setCreatedTime(Instant.parse("2026-01-24T10:00:00Z"))
                .setRank(8).setAlpha(16f).setTensors(List.of()).setMetrics(Map.copyOf(metrics)).setNote(null)
                .setSignerKeyId("key-1").setSignature(ByteBuffer.wrap(new byte[64])).build();
        entries.add(new ReleaseLog.Entry(r, "base", 0, sequence - 1, true));
        return this;
    }

    @Override
    public synchronized List<ReleaseLog.Entry> history() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized AdapterRelease rollback(String version) {
        boolean known = entries.stream().anyMatch(e -> e.release().getVersion().equals(version));
        if (!known) {
            throw new IllegalArgumentException("no release " + version + " to roll back to on the topic");
        }
        String current = entries.get(entries.size() - 1).release().getVersion();
        add(version, current, Map.of());
        return entries.get(entries.size() - 1).release();
    }
}
