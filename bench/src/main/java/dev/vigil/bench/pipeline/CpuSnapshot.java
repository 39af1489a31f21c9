package dev.vigil.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CPU time spent so far, to see where a phase's time went on a machine whose cores everything shares: this JVM, split
 * by thread name into its stream threads, the in-process broker's threads and the rest (the bench's own clients, the
 * streams' producer and consumer I/O threads, HTTP to OpenSearch, JIT and GC), and the stack's child JVMs
 * (OpenSearch, the schema registry).
 */
record CpuSnapshot(long wallNanos, long processNanos, long streamThreadNanos, long brokerNanos, long childNanos) {

    /** Threads of the in-process KRaft broker (request handlers, network, coordinators, raft, log manager). */
    private static final Pattern BROKER = Pattern.compile("^(data-plane-|kafka-scheduler|kafka-log-cleaner|kafka-\\d"
            + "|group-coordinator|share-|raft-|quorum-controller|transaction-log-manager|controller-\\d|broker-\\d"
            + "|ExpirationReaper|executor-|persister-|network-partition|client-metrics-reaper).*");

    static CpuSnapshot now(List<ProcessHandle> children) {
        long process = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            process = os.getProcessCpuTime();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long stream = 0;
        long broker = 0;
        if (threads.isThreadCpuTimeSupported()) {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long cpu = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                if (info.getThreadName().contains("-StreamThread-")) {
                    stream += cpu;
                } else if (BROKER.matcher(info.getThreadName()).matches()) {
                    broker += cpu;
                }
            }
        }
        long child = 0;
        for (ProcessHandle h : children) {
            child += h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return new CpuSnapshot(System.nanoTime(), process, stream, broker, child);
    }

    /** Cores busy on average between {@code before} and this snapshot, by where. */
    String coresSince(CpuSnapshot before, String streamsName) {
        double wall = Math.max(1, wallNanos - before.wallNanos);
        double process = (processNanos - before.processNanos) / wall;
        double stream = (streamThreadNanos - before.streamThreadNanos) / wall;
        double broker = (brokerNanos - before.brokerNanos) / wall;
        return String.format(java.util.Locale.ROOT, "%.2f cores busy of %d: %s stream thread(s) %.2f, broker (in this "
                        + "JVM) %.2f, rest of this JVM (clients, HTTP, JIT, GC) %.2f, OpenSearch and registry JVMs %.2f; "
                        + "load average %.2f",
                process + (childNanos - before.childNanos) / wall, Runtime.getRuntime().availableProcessors(),
                streamsName, stream, broker, process - stream - broker, (childNanos - before.childNanos) / wall,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
