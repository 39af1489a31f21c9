package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.feedback.releases.Provenance;
import dev.vigil.feedback.releases.ReleaseLog;
import dev.vigil.schemas.avro.AdapterRelease;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FeedbackCommandTest {

    @Test
    void thePublicKeyDefaultsToThePubFileBesideTheSigningKey() {
        assertThat(FeedbackCommand.publicKeyBeside(Path.of(".vigil/keys/adapters.key")))
                .isEqualTo(Path.of(".vigil/keys/adapters.pub"));
        assertThat(FeedbackCommand.publicKeyBeside(Path.of("/etc/vigil/signer.pem")))
                .isEqualTo(Path.of("/etc/vigil/signer.pem.pub"));
    }

    static AdapterRelease release(String note) {
        return AdapterRelease.newBuilder().setVersion("2").setSequence(2).setBaseModelHash("abc")
                .setCreatedTime(Instant.EPOCH).setRank(8).setAlpha(16f).setTensors(List.of()).setNote(note)
                .setSignerKeyId("k").setSignature(ByteBuffer.wrap(new byte[0])).build();
    }

    @Test
    void theLabelOffsetsARecordedReleaseConsumedAreReadBackFromItsNote() {
        ReleaseLog.Entry entry = new ReleaseLog.Entry(release(
                "{\"made_by\":\"feedback-rl\",\"labels_topic\":\"fraud.labels\",\"labels_through\":{\"0\":285,\"1\":7}}"),
                "abc", 0, 0, true);
        assertThat(Provenance.labelsThrough(entry)).isEqualTo(Map.of(
                new TopicPartition("fraud.labels", 0), 285L, new TopicPartition("fraud.labels", 1), 7L));
    }

    @Test
    void aReleaseWithoutProvenanceRecordsNothing() {
        assertThat(Provenance.labelsThrough(new ReleaseLog.Entry(release("rollback to 1"), "abc", 0, 0, true)))
                .isEmpty();
        assertThat(Provenance.labelsThrough(null)).isEmpty();
    }
}
