package dev.vigil.trainer.card;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's resident set size (Linux {@code /proc/self/status}, {@code VmRSS}): the only place the native memory
 * of an ONNX Runtime session shows up, since it lives outside the Java heap. Empty where there is no procfs.
 */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /**
     * Resident bytes outside the JVM's own committed heap and non-heap pools, after a GC: what native libraries
     * (ONNX Runtime sessions) hold, plus thread stacks and the JVM's internal malloc. The JVM's heap growing or
     * shrinking between two readings does not move it, which makes differences of it usable in a JVM that also
     * allocates.
     */
    public static OptionalLong outsideJvmPoolsAfterGc() {
        System.gc();
        OptionalLong rss = bytes();
        if (rss.isEmpty()) {
            return rss;
        }
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long pools = memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
        return OptionalLong.of(rss.getAsLong() - pools);
    }

    /** Resident bytes now. */
    public static OptionalLong bytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024L);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The 1-minute load average, or NaN (context for a latency number measured on a shared machine). */
    public static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
