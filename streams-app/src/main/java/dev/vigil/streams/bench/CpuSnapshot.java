package dev.vigil.streams.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

/**
 * CPU time spent so far, to see where a phase's time went on a machine whose cores everything shares: this JVM (the
 * in-process broker, the streams, the bench's clients), its stream threads alone, and the stack's child JVMs
 * (OpenSearch, the schema registry).
 */
record CpuSnapshot(long wallNanos, long processNanos, long streamThreadNanos, long childNanos) {

    static CpuSnapshot now(List<ProcessHandle> children) {
        long process = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            process = os.getProcessCpuTime();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long stream = 0;
        if (threads.isThreadCpuTimeSupported()) {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().contains("-StreamThread-")) {
                    stream += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
        }
        long child = 0;
        for (ProcessHandle h : children) {
            child += h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return new CpuSnapshot(System.nanoTime(), process, stream, child);
    }

    /** Cores busy on average between {@code before} and this snapshot, as "jvm X (stream threads Y), children Z". */
    String coresSince(CpuSnapshot before, String streamsName) {
        double wall = Math.max(1, wallNanos - before.wallNanos);
        return String.format(java.util.Locale.ROOT, "%.2f cores in this JVM (of which %s stream thread %.2f), "
                        + "%.2f in the stack's child JVMs (OpenSearch, registry)",
                (processNanos - before.processNanos) / wall, streamsName,
                (streamThreadNanos - before.streamThreadNanos) / wall, (childNanos - before.childNanos) / wall);
    }
}
