package dev.vigil.model.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSpecTest {

    @Test
    void theJsonFormReadsBackToTheSameSpecAndHash() {
        FeatureSpec spec = FeatureSpec.standard();
        FeatureSpec read = FeatureSpec.fromJson(spec.toJson());
        assertThat(read).isEqualTo(spec);
        assertThat(read.hash()).isEqualTo(spec.hash()).hasSize(32);
        assertThat(spec.toJson()).contains("\"seq_len\": 16", "\"log_amount\"", "\"similar_cases_missing\"",
                "\"hash\": \"" + spec.hash() + "\"");
    }

    @Test
    void anEditedSpecFileIsRejected() {
        String json = FeatureSpec.standard().toJson().replace("\"card_count_1d\"", "\"card_count_2d\"");
        assertThatThrownBy(() -> FeatureSpec.fromJson(json)).hasMessageContaining("does not match its content");
    }

    @Test
    void onlyTheSpecThisCodeEncodesIsSupported() {
        FeatureSpec spec = FeatureSpec.standard();
        FeatureSpec other = new FeatureSpec(spec.version(), spec.seqLen(), spec.seqFeatures(),
                spec.denseFeatures().subList(0, 40), List.of(), spec.similarK(), spec.similarThreshold(),
                spec.categoryBuckets());
        assertThatThrownBy(() -> new FeatureEncoder(other)).hasMessageContaining("not what this code encodes");
        assertThat(new FeatureEncoder(FeatureSpec.standard(8)).spec().seqLen()).isEqualTo(8);
    }

    @Test
    void theSequenceLengthChangesTheHashButNotTheCaseVectorVersion() {
        assertThat(FeatureSpec.standard(8).hash()).isNotEqualTo(FeatureSpec.standard().hash());
        assertThat(FeatureSpec.standard(8).caseVectorVersion()).isEqualTo(FeatureSpec.standard().caseVectorVersion())
                .startsWith(FeatureSpec.VERSION);
    }

    @Test
    void featureNamesAreUniqueAndTheCaseVectorReadsOnlyFeaturesKnownBeforeRetrieval() {
        FeatureSpec spec = FeatureSpec.standard();
        assertThat(new HashSet<>(spec.seqFeatures())).hasSize(spec.seqFeatureCount());
        assertThat(new HashSet<>(spec.denseFeatures())).hasSize(spec.denseFeatureCount());
        for (FeatureSpec.CaseDimension d : spec.caseVector()) {
            assertThat(spec.denseFeatures().indexOf(d.from())).as(d.name()).isLessThan(FeatureSpec.D_FIRST_CONTEXT);
        }
    }
}
