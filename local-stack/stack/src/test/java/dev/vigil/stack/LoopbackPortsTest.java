package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void aTakenPortIsReportedWithItsServiceAndNumber() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(LoopbackPorts.isFree(port)).isFalse();
            assertThatThrownBy(() -> new LoopbackPorts().choose(Service.OPENSEARCH, port))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("port " + port + " for opensearch is already in use on 127.0.0.1")
                    .satisfies(e -> assertThat(((PortInUseException) e).service()).isEqualTo(Service.OPENSEARCH));
        }
    }

    @Test
    void zeroPicksDistinctFreePorts() {
        LoopbackPorts ports = new LoopbackPorts();
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            int port = ports.choose(Service.KAFKA, 0);
            assertThat(LoopbackPorts.isFree(port)).isTrue();
            chosen.add(port);
        }
        assertThat(chosen).hasSize(10);
    }

    @Test
    void aFreePortCanBeBoundOnLoopback() throws Exception {
        int port = LoopbackPorts.freePort();
        assertThat(port).isBetween(1, 65_535);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void theUpCommandNamesTheOptionForEachService() {
        assertThat(UpCommand.portOption(Service.KAFKA)).isEqualTo("--kafka-port");
        assertThat(UpCommand.portOption(Service.SCHEMA_REGISTRY)).isEqualTo("--registry-port");
        assertThat(UpCommand.portOption(Service.OPENSEARCH)).isEqualTo("--opensearch-port");
    }
}
