package dev.vigil.streams.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class OpenSearchHttpTest {

    @Test
    void aServerThatDoesNotAnswerInTimeIsATimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            OpenSearchHttp http = new OpenSearchHttp("http://127.0.0.1:" + silent.getLocalPort(),
                    Duration.ofSeconds(1), Duration.ofMillis(150));
            long start = System.nanoTime();
            Throwable failure = catchThrowable(() -> http.send("POST", "cases/_search", "{}").join());
            assertThat(reason(failure)).isEqualTo(ContextRetrievalException.Reason.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void nobodyListeningIsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OpenSearchHttp http = new OpenSearchHttp("http://127.0.0.1:" + port);
        assertThat(reason(catchThrowable(() -> http.send("GET", "cases", null).join())))
                .isEqualTo(ContextRetrievalException.Reason.UNAVAILABLE);
    }

    @Test
    void aClientErrorIsABadResponseAndAServerErrorUnavailable() throws Exception {
        assertThat(reason(answering(400))).isEqualTo(ContextRetrievalException.Reason.BAD_RESPONSE);
        assertThat(reason(answering(503))).isEqualTo(ContextRetrievalException.Reason.UNAVAILABLE);
        assertThat(ContextRetrievalException.Reason.TIMEOUT.code()).isEqualTo("context_timeout");
    }

    private static Throwable answering(int status) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    OutputStream out = s.getOutputStream();
                    String body = "{\"error\":\"no\"}";
                    out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException ignored) {
                    // the test sees what the client saw
                }
            });
            responder.start();
            OpenSearchHttp http = new OpenSearchHttp("http://127.0.0.1:" + server.getLocalPort());
            Throwable failure = catchThrowable(() -> http.send("GET", "cases/_search", null).join());
            responder.join(5_000);
            assertThat(failure.getCause()).hasMessageContaining(String.valueOf(status));
            return failure;
        }
    }

    private static ContextRetrievalException.Reason reason(Throwable failure) {
        assertThat(failure).isInstanceOf(CompletionException.class);
        assertThat(failure.getCause()).isInstanceOf(ContextRetrievalException.class);
        return ((ContextRetrievalException) failure.getCause()).reason();
    }
}
