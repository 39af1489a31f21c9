package dev.vigil.cli.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line about the machine a run was measured on: cores, memory, OS, JVM. */
final class MachineDescription {

    private MachineDescription() {}

    static String describe() {
        int cores = Runtime.getRuntime().availableProcessors();
        String memory = totalMemory();
        String cpu = cpuModel();
        return String.format(Locale.ROOT, "%d cores%s, %s memory, %s %s (%s), Java %s (%s), max heap %.1f GiB, "
                        + "load average at start %.2f",
                cores, cpu.isEmpty() ? "" : " (" + cpu + ")", memory, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() / (double) (1L << 30),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (double) (1L << 30));
        }
        return "unknown";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no model name
        }
        return "";
    }
}
