package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

    static List<String> topics() {
        return Topics.ALL.stream().map(Topics.Spec::name).toList();
    }

    @ParameterizedTest
    @MethodSource("topics")
    void everyVersionIsBackwardCompatibleWithTheOneBefore(String topic) {
        List<Schema> versions = SchemaHistory.versions(topic);
        for (int v = 1; v < versions.size(); v++) {
            Schema reader = versions.get(v);
            Schema writer = versions.get(v - 1);
            var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            assertThat(result.getType())
                    .as("%s v%d must read data written with v%d: %s", topic, v + 1, v, result.getDescription())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest
    @MethodSource("topics")
    void theLatestVersionIsTheSchemaTheCodeIsGeneratedFrom(String topic) {
        List<Schema> versions = SchemaHistory.versions(topic);
        assertThat(versions.get(versions.size() - 1)).isEqualTo(withoutJavaStringHints(Topics.spec(topic).valueSchema()));
    }

    /** The code generator marks strings as java.lang.String ("avro.java.string"); that hint is not part of the contract. */
    private static Schema withoutJavaStringHints(Schema generated) {
        String json = generated.toString()
                .replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"")
                .replace(",\"avro.java.string\":\"String\"", "");
        return new Schema.Parser().parse(json);
    }

    @Test
    void theCompatibilityCheckRejectsABreakingChange() {
        // A required field without a default cannot be read from older records: the check must say so.
        Schema v1 = SchemaHistory.versions(Topics.TRANSACTIONS).get(0);
        Schema breaking = new Schema.Parser().parse(v1.toString().replace(
                "{\"name\":\"card_id\",\"type\":\"string\"}",
                "{\"name\":\"card_id\",\"type\":\"string\"},{\"name\":\"issuer\",\"type\":\"string\"}"));
        assertThat(breaking.getField("issuer")).isNotNull();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(breaking, v1).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void transactionsAndLabelsKeepTheirEarlierVersions() {
        assertThat(SchemaHistory.versions(Topics.TRANSACTIONS)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(SchemaHistory.versions(Topics.LABELS)).hasSizeGreaterThanOrEqualTo(2);
    }
}
