package dev.vigil.schemas.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM for a command that runs until it is told to stop. The JVM's shutdown hook asks the work to stop
 * and then waits, up to a bound, until the command has finished in order (closed its clients, printed its totals,
 * written its report), so the process does not exit halfway through. Close it when the command is done, last: that
 * releases a waiting hook, and removes the hook when the command ends on its own.
 *
 * <pre>{@code
 * try (GracefulStop stop = GracefulStop.install("demo-shutdown", run::requestStop, Duration.ofSeconds(90))) {
 *     run.run();
 * }
 * }</pre>
 */
public final class GracefulStop implements AutoCloseable {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private GracefulStop(String name, Runnable requestStop, Duration wait) {
        hook = new Thread(() -> {
            requestStop.run();
            try {
                finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
    }

    /**
     * Registers the hook: on a signal, {@code requestStop} runs on the hook's thread, which then waits at most
     * {@code wait} for {@link #close}.
     */
    public static GracefulStop install(String name, Runnable requestStop, Duration wait) {
        GracefulStop stop = new GracefulStop(name, requestStop, wait);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting through the hook, which has just been released
        }
    }
}
