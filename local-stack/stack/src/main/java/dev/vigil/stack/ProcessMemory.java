package dev.vigil.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Resident memory of one process of the stack, read from {@code /proc/<pid>/status} (Linux only).
 *
 * @param process what runs in it, e.g. "opensearch" or "this JVM (kafka)"
 * @param rssBytes resident set size, or -1 where /proc cannot tell
 */
public record ProcessMemory(String process, long pid, long rssBytes) {

    /** Reads the current RSS of a process; -1 if it is gone or this is not Linux. */
    public static ProcessMemory of(String process, long pid) {
        return new ProcessMemory(process, pid, rss(pid).orElse(-1));
    }

    public long rssMegabytes() {
        return rssBytes < 0 ? -1 : rssBytes / (1024 * 1024);
    }

    static OptionalLong rss(long pid) {
        try {
            return parseVmRss(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Parses the "VmRSS:   123456 kB" line of a /proc/PID/status text. */
    static OptionalLong parseVmRss(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                long unit = parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? 1024 : 1;
                return OptionalLong.of(value * unit);
            }
        }
        return OptionalLong.empty();
    }
}
