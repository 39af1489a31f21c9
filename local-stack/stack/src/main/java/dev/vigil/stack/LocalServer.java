package dev.vigil.stack;

import java.time.Instant;
import java.util.Optional;

/** One server of the stack, as {@link LocalStack} drives it. Implementations never block past the deadlines given. */
interface LocalServer {

    Service service();

    /** Starts the server and returns once it is healthy; throws {@link StackStartException} if not by the deadline. */
    void startAndAwaitHealthy(Instant deadline);

    /** Starts stopping without waiting (children get their stdin closed), so several servers stop in parallel. */
    void requestStop();

    /** Stops the server and waits until it is gone; bounded, never hangs. Safe to call more than once. */
    void awaitStop();

    /** The child JVM this server runs in, or empty when it runs inside this JVM. */
    Optional<ChildJvm> child();

    /** A new, unstarted server with this one's data directory, ports and settings (for a restart). */
    LocalServer again();
}
