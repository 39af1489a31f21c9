package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

/** What each server is told at start-up: loopback only, single-node settings, in-memory registry. */
class ServerConfigurationTest {

    @Test
    void brokerIsOneCombinedNodeOnLoopbackWithReplicationFactorOne() {
        Properties props = KafkaBroker.brokerProperties(Path.of("/tmp/kafka-log"), 19092, 19093);

        KafkaConfig config = KafkaConfig.fromProps(props); // the broker's own validation
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(props.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(props.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(props.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
        assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(props.getProperty("auto.create.topics.enable")).isEqualTo("false");
        assertThat(props).containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("log.dirs", "/tmp/kafka-log");
    }

    @Test
    void registryConfigIsInMemoryOnLoopbackWithoutAdminPort() throws Exception {
        String yaml = SchemaRegistryServer.config(18081, Path.of("/data/registry/jars"));

        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertThat(config.at("/storageProviderConfiguration/providerClass").asText()).endsWith("InMemoryStorageManager");
        JsonNode connector = config.at("/server/applicationConnectors/0");
        assertThat(connector.get("bindHost").asText()).isEqualTo("127.0.0.1");
        assertThat(connector.get("port").asInt()).isEqualTo(18081);
        assertThat(config.at("/server/adminConnectors")).isEmpty();
        assertThat(config.at("/fileStorageConfiguration/properties/directory").asText()).isEqualTo("/data/registry/jars");
        assertThat(config.at("/modules/0/className").asText()).endsWith("SchemaRegistryModule");
    }

    @Test
    void openSearchIsUsableWhenYellowOrGreen() {
        assertThat(OpenSearchServer.isUsable("{\"cluster_name\":\"vigil\",\"status\":\"green\"}")).isTrue();
        assertThat(OpenSearchServer.isUsable("{\"status\" : \"yellow\", \"timed_out\":false}")).isTrue();
        assertThat(OpenSearchServer.isUsable("{\"status\":\"red\"}")).isFalse();
        assertThat(OpenSearchServer.isUsable("")).isFalse();
    }

    @Test
    void argumentFileQuotingKeepsSpacesQuotesAndBackslashes() {
        assertThat(ChildJvm.quote("/path with space/a.jar")).isEqualTo("\"/path with space/a.jar\"");
        assertThat(ChildJvm.quote("say \"hi\"\\")).isEqualTo("\"say \\\"hi\\\"\\\\\"");
    }
}
