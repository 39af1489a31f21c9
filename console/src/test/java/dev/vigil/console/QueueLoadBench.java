package dev.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.openqa.selenium.By;

/**
 * How long the queue page takes to load with 1,000 cards in it, in Debian's headless chromium: the real scorer alerts
 * on 1,000 payments (one per card) on the local stack, the real console reads them, and the browser loads the queue
 * page {@value #RUNS} times after a warm-up. Prints the median and the range of each: from navigation start to the
 * 1,000 rows in the DOM and to the next frame (User Timing marks the page sets), the wall time of the WebDriver
 * navigation until the rows are found, and the {@code /api/queue} call alone (Resource Timing). A program that prints
 * numbers, not a test: see console/README.md for the command.
 */
public final class QueueLoadBench {

    static final int CARDS = 1_000;
    static final int RUNS = 5;
    static final Duration WAIT = Duration.ofMinutes(5);

    private QueueLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        // the settings every Vigil JVM runs with (the launcher's and the tests'), should the command line lack them
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", System.getProperty(
                "org.apache.avro.SERIALIZABLE_PACKAGES", "dev.vigil.schemas.avro"));
        HeadlessChromium.requireInstalled();
        int status = 1;
        long started = System.nanoTime();
        try (AlertingPipeline pipeline = AlertingPipeline.start()) {
            List<Transaction> payments = pipeline.payments(CARDS, 1, 50);
            pipeline.send(payments);
            Set<String> sent = payments.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
            List<FraudAlert> alerts = pipeline.awaitAlerts(read -> read.stream().map(FraudAlert::getTransactionId)
                    .collect(Collectors.toSet()).containsAll(sent), WAIT);
            long alerted = alerts.stream().filter(a -> sent.contains(a.getTransactionId())).count();
            if (alerted < CARDS) {
                throw new IllegalStateException("the scorer alerted " + alerted + " of " + CARDS + " payments in " + WAIT);
            }
            try (ConsoleUnderTest console = ConsoleUnderTest.start(pipeline, "bench", "bench password")) {
                awaitQueue(console, sent);
                // the console is measured alone: no scorer or case indexer busy on the same two cores meanwhile
                pipeline.stopScorer();
                System.out.printf("queue load bench: %,d alerted cards in the console's queue after %d s of set-up%n",
                        CARDS, Duration.ofNanos(System.nanoTime() - started).toSeconds());
                measure(console);
                status = 0;
            }
        } finally {
            System.out.flush();
        }
        System.exit(status); // the shared stack's child JVMs stop in the shutdown hook
    }

    /** Until the console's queue holds every card (it follows the topics). */
    private static void awaitQueue(ConsoleUnderTest console, Set<String> sent) throws Exception {
        ConsoleSession api = ConsoleSession.signedIn(console.url(), console.analyst, console.password);
        long deadline = System.nanoTime() + WAIT.toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            JsonNode cards = ConsoleSession.json(api.get("api/queue?limit=1000")).path("cards");
            seen = StreamSupport.stream(cards.spliterator(), false)
                    .filter(c -> sent.contains(c.path("transactionId").asText())).count();
            if (seen == CARDS) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the console's queue shows " + seen + " of the " + CARDS + " cards after " + WAIT);
    }

    private static void measure(ConsoleUnderTest console) throws Exception {
        List<Double> rendered = new ArrayList<>();
        List<Double> painted = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        List<Double> api = new ArrayList<>();
        List<Double> build = new ArrayList<>();
        Map<String, List<Double>> renderer = new java.util.LinkedHashMap<>();
        double apiKb = 0;
        try (HeadlessChromium browser = HeadlessChromium.start(1440, 1000)) {
            browser.driver.get(console.url());
            browser.driver.findElement(By.id("login-username")).sendKeys(console.analyst);
            browser.driver.findElement(By.id("login-password")).sendKeys(console.password);
            browser.driver.findElement(By.id("login-submit")).click();
            browser.driver.executeCdpCommand("Performance.enable", Map.of());
            for (int run = 0; run <= RUNS; run++) { // run 0 warms the browser's and the server's caches up
                // a same-origin page in between: the same renderer process, so its time accounting goes on
                browser.driver.get(console.url() + "assets/app.css");
                Map<String, Double> before = rendererMetrics(browser);
                long t0 = System.nanoTime();
                browser.driver.get(console.url() + "#/queue");
                browser.await("the queue with " + CARDS + " rows", d -> (Boolean) browser.script(
                        "return document.querySelectorAll('#view[data-loaded=\"queue\"] #queue tbody tr').length >= "
                                + CARDS + ";") ? true : null);
                long t1 = System.nanoTime();
                @SuppressWarnings("unchecked")
                Map<String, Object> timing = (Map<String, Object>) browser.await("the queue's timing marks",
                        d -> browser.script("""
                                var data = performance.getEntriesByName('vigil-queue-data')[0];
                                var r = performance.getEntriesByName('vigil-queue-rendered')[0];
                                var p = performance.getEntriesByName('vigil-queue-painted')[0];
                                var q = performance.getEntriesByType('resource')
                                    .filter(function (e) { return e.name.indexOf('/api/queue') >= 0; })[0];
                                return data && r && p && q ? { build: r.startTime - data.startTime,
                                    rendered: r.startTime, painted: p.startTime,
                                    api: q.responseEnd - q.startTime, bytes: q.encodedBodySize } : null;
                                """));
                if (run == 0) {
                    continue;
                }
                Map<String, Double> after = rendererMetrics(browser);
                for (String m : RENDERER_METRICS) {
                    renderer.computeIfAbsent(m, k -> new ArrayList<>())
                            .add((after.getOrDefault(m, 0.0) - before.getOrDefault(m, 0.0)) * 1000);
                }
                rendered.add(number(timing.get("rendered")));
                painted.add(number(timing.get("painted")));
                api.add(number(timing.get("api")));
                build.add(number(timing.get("build")));
                apiKb = number(timing.get("bytes")) / 1024;
                wall.add((t1 - t0) / 1e6);
            }
        }
        System.out.printf("queue load bench: %,d cards, median of %d page loads (min-max), headless chromium:%n",
                CARDS, RUNS);
        System.out.printf("  navigation start -> %,d rows in the DOM:   %s%n", CARDS, summary(rendered));
        System.out.printf("  navigation start -> next frame painted:   %s%n", summary(painted));
        System.out.printf("  WebDriver get -> rows found (wall):       %s%n", summary(wall));
        System.out.printf("  GET /api/queue?limit=1000 alone:          %s (%.0f KB)%n", summary(api), apiKb);
        System.out.printf("  app.js building the table (JSON to DOM):  %s%n", summary(build));
        renderer.forEach((m, ms) -> System.out.printf("  chromium %-32s %s%n", m + ":", summary(ms)));
    }

    /** Chromium's own time accounting of the page (DevTools' Performance domain), seconds since it began. */
    static final List<String> RENDERER_METRICS = List.of("RecalcStyleDuration", "LayoutDuration", "TaskDuration");

    @SuppressWarnings("unchecked")
    private static Map<String, Double> rendererMetrics(HeadlessChromium browser) {
        Map<String, Object> answer = browser.driver.executeCdpCommand("Performance.getMetrics", Map.of());
        Map<String, Double> out = new java.util.HashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) answer.get("metrics")) {
            out.put((String) m.get("name"), number(m.get("value")));
        }
        return out;
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    private static String summary(List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return String.format("%.0f ms (%.0f-%.0f)", sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}
