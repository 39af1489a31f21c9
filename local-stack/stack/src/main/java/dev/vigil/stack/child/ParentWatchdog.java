package dev.vigil.stack.child;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The main class of every child JVM the local stack starts: it runs the real main class given as its first
 * argument, and ends the JVM as soon as its stdin reaches end-of-file.
 *
 * <p>The parent keeps the write end of that pipe open for the child's whole life and never writes to it. The pipe
 * closes when the parent closes it on purpose (a clean stop) and also when the parent dies in any way, SIGKILL
 * included, since the kernel closes a dead process's descriptors. So a child can never outlive its parent.
 *
 * <p>On end-of-file the JVM exits normally (shutdown hooks run: OpenSearch closes its node); if the hooks take
 * longer than 20 s (system property {@value #HALT_AFTER_PROPERTY}, in milliseconds), it halts.
 *
 * <p>Runs on the child's classpath, so it must use nothing but the JDK.
 */
public final class ParentWatchdog {

    static final String HALT_AFTER_PROPERTY = "vigil.watchdog.haltAfterMillis";

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchdog <main-class> [args...]");
            System.exit(2);
        }
        Thread watchdog = new Thread(ParentWatchdog::exitWhenStdinCloses, "vigil-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.setAccessible(true); // like the java launcher, accept a main in a class that is not public
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenStdinCloses() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file: the parent is gone
        }
        System.err.println("vigil: parent closed stdin (stopped or died); shutting down");
        long haltAfter = Long.getLong(HALT_AFTER_PROPERTY, 20_000);
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(haltAfter);
            } catch (InterruptedException ignored) {
                // halt now
            }
            Runtime.getRuntime().halt(3);
        }, "vigil-parent-watchdog-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }
}
