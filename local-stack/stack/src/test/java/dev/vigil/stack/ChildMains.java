package dev.vigil.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Main classes for ChildJvmIT's child JVMs. */
public final class ChildMains {

    private ChildMains() {
    }

    /** Runs until stopped; its shutdown hook writes the file named by args[0]. */
    public static final class Sleeper {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.writeString(Path.of(args[0]), "shutdown hook ran");
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }));
            System.out.println("sleeper running");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A server that never finishes stopping: its shutdown hook blocks forever. */
    public static final class Stubborn {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    // keep blocking the exit as long as we can
                }
            }));
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
