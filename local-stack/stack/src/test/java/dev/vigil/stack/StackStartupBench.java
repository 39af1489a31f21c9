package dev.vigil.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Prints how long the stack takes to become healthy and how much memory it holds, for one configuration, in this
 * (fresh) JVM. Run it in a new JVM per measurement, since an in-process broker starts much faster in a warm JVM:
 *
 * <pre>java -cp ... dev.vigil.stack.StackStartupBench DATA_DIR [wipe|reuse] [KAFKA,SCHEMA_REGISTRY,OPENSEARCH]</pre>
 */
public final class StackStartupBench {

    private StackStartupBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        boolean wipe = args.length < 2 || args[1].equals("wipe");
        Set<Service> services = EnumSet.noneOf(Service.class);
        for (String name : (args.length < 3 ? "KAFKA,SCHEMA_REGISTRY,OPENSEARCH" : args[2]).split(",")) {
            services.add(Service.valueOf(name));
        }
        Instant begin = Instant.now();
        try (LocalStack stack = LocalStack.start(StackOptions.in(dataDir).withWipe(wipe).withServices(services))) {
            Duration total = Duration.between(begin, Instant.now());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "bench %-40s %-5s total %5d ms |",
                    services, wipe ? "cold" : "reuse", total.toMillis()));
            stack.startupTimes().forEach((service, took) ->
                    line.append(String.format(Locale.ROOT, " %s %d ms", service.name(), took.toMillis())));
            line.append(" | RSS");
            Thread.sleep(3000); // let start-up garbage settle a little before reading RSS
            stack.memory().forEach(m -> line.append(String.format(Locale.ROOT, " %s=%d MB", m.process(), m.rssMegabytes())));
            Instant stop = Instant.now();
            stack.close();
            line.append(String.format(Locale.ROOT, " | close %d ms", Duration.between(stop, Instant.now()).toMillis()));
            System.out.println(line);
        }
    }
}
