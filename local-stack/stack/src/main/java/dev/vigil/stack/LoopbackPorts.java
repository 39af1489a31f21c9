package dev.vigil.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Port checks and free-port picks on 127.0.0.1, the only address the stack listens on. {@link #freePort} is public:
 * harnesses that start their own servers beside the stack (the fault drill's scorers) pick their ports here too.
 */
public final class LoopbackPorts {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Set<Integer> taken = new HashSet<>();

    LoopbackPorts() {
    }

    /**
     * The port to use for a service: {@code requested} if it is free (else {@link PortInUseException}), or a free
     * port when 0. Never returns the same port twice from this instance.
     */
    int choose(Service service, int requested) {
        if (requested != 0) {
            if (!taken.add(requested)) {
                throw new IllegalArgumentException("port " + requested + " is asked for twice");
            }
            if (!isFree(requested)) {
                throw new PortInUseException(service, requested);
            }
            return requested;
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = freePort();
            if (taken.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found on 127.0.0.1");
    }

    /** Fails with {@link PortInUseException} if a port the options ask for explicitly is taken. */
    static void checkRequested(StackOptions options) {
        for (Service service : options.services()) {
            int port = options.port(service);
            if (port != 0 && !isFree(port)) {
                throw new PortInUseException(service, port);
            }
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Reuse lets a port in TIME_WAIT count as free: the servers bind with SO_REUSEADDR too.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free on 127.0.0.1 a moment ago (the system's pick for port 0). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a socket on 127.0.0.1", e);
        }
    }
}
