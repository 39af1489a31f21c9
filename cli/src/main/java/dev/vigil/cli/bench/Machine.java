package dev.vigil.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a benchmark ran on, as far as the JVM can tell: the numbers only mean something next to it.
 *
 * @param cores         processors available to the JVM
 * @param memoryBytes   physical memory; -1 if unknown
 * @param cpuModel      the CPU's model name from {@code /proc/cpuinfo}; null where unreadable
 * @param maxHeapBytes  the JVM's maximum heap
 */
public record Machine(int cores, long memoryBytes, String cpuModel, String operatingSystem, String jvm,
                      long maxHeapBytes) {

    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    /** This machine. */
    public static Machine current() {
        Runtime runtime = Runtime.getRuntime();
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return new Machine(runtime.availableProcessors(), memory, cpuModel(CPU_INFO),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                        + System.getProperty("os.arch") + ")",
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                runtime.maxMemory());
    }

    /** One line: {@code 2 cores, 7.8 GB memory, <CPU>, Linux 6.1 (amd64), Java 17 (...), max heap 3,072 MB}. */
    public String describe() {
        return String.format(Locale.ROOT, "%d cores, %s memory, %s, %s, %s, max heap %,d MB", cores,
                memoryBytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GB", memoryBytes / 1e9),
                cpuModel == null ? "CPU model unknown" : cpuModel, operatingSystem, jvm, maxHeapBytes >> 20);
    }

    /** The first {@code model name} in a {@code /proc/cpuinfo}-style file; null if there is none or no file. */
    static String cpuModel(Path cpuInfo) {
        try {
            for (String line : Files.readAllLines(cpuInfo, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals("model name")) {
                    String model = line.substring(colon + 1).strip().replaceAll("\\s+", " ");
                    return model.isEmpty() ? null : model;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the report says "CPU model unknown"
        }
        return null;
    }
}
