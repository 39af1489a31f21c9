package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.schemas.Money;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.avro.Transaction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console end to end, in a real browser: the real scorer alerts on payments sent to Kafka, the real console (in
 * this JVM, on loopback) shows them, and an analyst in Debian's headless chromium signs in (after a wrong password),
 * finds the alert in the queue, opens the case, labels it fraud with a note; the label is then on {@code fraud.labels}
 * (source ANALYST, by that analyst) and in the {@code cases} index (the scorer's case indexer applied it). A second test
 * checks, over plain HTTP, what must be refused and publish nothing: a wrong password, a label without the session's
 * CSRF token, a label in another analyst's name.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's chromium and chromium-driver;
 * {@code ./vigil test} installs them as root). {@code -Dvigil.console.screenshots=DIR} saves {@code console-queue.png},
 * {@code console-case.png} and {@code console-model.png} there.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsoleBrowserIT {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final String ANALYST = "ana.lyst";
    static final String PASSWORD = "correct horse battery staple";
    static final String NOTE = "Card used at three merchants within a minute; cardholder unreachable <script>x</script>";
    static final int CARDS = 6;
    static final int PAYMENTS_PER_CARD = 3;

    static AlertingPipeline pipeline;
    static ConsoleUnderTest console;
    static List<Transaction> payments;
    /** Per card, the alert the queue shows: the card's highest score, highest first (the queue's order). */
    static List<FraudAlert> queueRows;

    @BeforeAll
    static void startThePipelineAndTheConsole() throws Exception {
        HeadlessChromium.requireInstalled(); // before minutes of setup
        long started = System.nanoTime();
        pipeline = AlertingPipeline.start();
        payments = pipeline.payments(CARDS, PAYMENTS_PER_CARD, 3);
        pipeline.send(payments);
        Set<String> sent = payments.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
        List<FraudAlert> alerts = pipeline.awaitAlerts(read -> ids(read).containsAll(sent), WAIT).stream()
                .filter(a -> sent.contains(a.getTransactionId())).toList();
        assertThat(ids(alerts)).as("payments the real scorer alerted within %s (it alerts every score above 0)", WAIT).containsAll(sent);
        queueRows = alerts.stream()
                .collect(Collectors.toMap(FraudAlert::getCardId, a -> a,
                        (a, b) -> b.getScore() > a.getScore() ? b : a, LinkedHashMap::new))
                .values().stream().sorted(Comparator.comparingDouble(FraudAlert::getScore).reversed()
                        .thenComparing(FraudAlert::getEventTime).thenComparing(FraudAlert::getTransactionId))
                .toList();

        console = ConsoleUnderTest.start(pipeline, ANALYST, PASSWORD);
        // the console follows the topics: wait until it has read every card's alert and each card's payments
        ConsoleSession api = ConsoleSession.signedIn(console.url(), ANALYST, PASSWORD);
        Set<String> rows = ids(queueRows);
        awaitTrue("the console's queue lists every alerted card of this run", WAIT, () -> {
            JsonNode cards = ConsoleSession.json(api.get("api/queue?limit=1000")).path("cards");
            return StreamSupport.stream(cards.spliterator(), false).map(c -> c.path("transactionId").asText())
                    .collect(Collectors.toSet()).containsAll(rows);
        });
        for (FraudAlert row : queueRows) {
            awaitTrue("the case of " + row.getTransactionId() + " lists its card's " + PAYMENTS_PER_CARD
                    + " payments", WAIT, () -> ConsoleSession.json(api.get("api/cases/" + row.getTransactionId()))
                    .path("cardPayments").size() == PAYMENTS_PER_CARD);
        }
        System.out.printf("ConsoleBrowserIT: stack, scorer, %d alerts and the console ready in %d s%n",
                alerts.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (console != null) {
                console.close();
            }
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }

    @Test
    void anAnalystSignsInFindsTheScorersAlertLabelsItFraudAndTheLabelReachesKafkaAndTheCaseIndex() throws Exception {
        // the highest-scored alert with a reason that raised its score (the untrained model's top alert may have none:
        // every input then lowered a score that its bias alone put over the threshold, and the case shows no reason)
        FraudAlert alert = queueRows.stream().filter(a -> a.getReasons().stream().anyMatch(r -> r.getContribution() > 0))
                .findFirst().orElseThrow(() -> new AssertionError("no alert of this run has a reason that raised it"));
        String tx = alert.getTransactionId();
        String other = queueRows.stream().map(FraudAlert::getTransactionId).filter(id -> !id.equals(tx))
                .findFirst().orElseThrow();
        String card = alert.getCardId();
        String masked = "****-" + card.substring(card.length() - 4);
        Path screenshots = Option.screenshots();
        long started = System.nanoTime();
        try (HeadlessChromium browser = HeadlessChromium.start(1440, 1000)) {
            // not signed in: the app sends the browser to the sign-in page, which refuses a wrong password
            browser.driver.get(console.url());
            browser.await("the sign-in page", d -> d.findElement(By.id("login-form")));
            assertThat(URI.create(browser.driver.getCurrentUrl()).getPath()).isEqualTo("/login");
            signIn(browser, ANALYST, "not the password");
            WebElement error = browser.await("the sign-in error", d -> {
                WebElement e = d.findElement(By.id("login-error"));
                return e.isDisplayed() ? e : null;
            });
            assertThat(error.getText()).isEqualTo("Wrong user name or password");

            // signed in: the queue, ranked by risk, with the scorer's alert
            signIn(browser, ANALYST, PASSWORD);
            WebElement row = browser.await("the alert " + tx + " in the queue",
                    d -> d.findElement(By.cssSelector("#queue tr[data-tx='" + tx + "']")));
            assertThat(browser.driver.findElement(By.id("analyst")).getText()).isEqualTo(ANALYST);
            assertThat(row.getText()).contains(masked).contains(alert.getMerchantId())
                    .contains(amount(alert.getAmountMinor())).contains("alert");
            List<String> ranked = browser.driver.findElements(By.cssSelector("#queue tbody tr")).stream()
                    .map(r -> r.getAttribute("data-tx")).filter(ids(queueRows)::contains).toList();
            assertThat(ranked).as("this run's cards, highest score first").isEqualTo(List.copyOf(
                    queueRows.stream().map(FraudAlert::getTransactionId).toList()));
            String page = browser.driver.getPageSource();
            payments.forEach(p -> assertThat(page).as("a whole card id in the page").doesNotContain(p.getCardId()));
            browser.screenshot(screenshots, "console-queue.png");

            // the case: the payment, why, the card's payments, the label form
            row.findElement(By.cssSelector("td:nth-child(3)")).click();
            browser.await("the case of " + tx, d -> d.findElement(By.cssSelector("#view[data-loaded='case'] #case[data-tx='" + tx + "']")));
            assertThat(browser.driver.findElement(By.cssSelector("#case-payment [data-field='card']")).getText())
                    .isEqualTo(masked);
            assertThat(browser.driver.findElement(By.cssSelector("#case-payment [data-field='amount']")).getText())
                    .isEqualTo(amount(alert.getAmountMinor()));
            assertThat(browser.driver.findElements(By.cssSelector("#case-reasons li"))).isNotEmpty();
            assertThat(browser.driver.findElements(By.cssSelector("#case-card-table tbody tr")))
                    .hasSize(PAYMENTS_PER_CARD);
            assertThat(browser.driver.findElement(By.id("case-merchant")).getText()).contains(alert.getMerchantId());
            assertThat(browser.driver.getPageSource()).doesNotContain(card);
            browser.screenshot(screenshots, "console-case.png");

            // label it fraud: the buttons are disabled while the label is sent, the result is shown, the queue is back
            browser.script("""
                    window.vigilTest = { disabled: false, results: [] };
                    var fraud = document.getElementById('label-fraud');
                    new MutationObserver(function () { if (fraud.disabled) { window.vigilTest.disabled = true; } })
                        .observe(fraud, { attributes: true, attributeFilter: ['disabled'] });
                    var result = document.getElementById('label-result');
                    new MutationObserver(function () { window.vigilTest.results.push(result.textContent); })
                        .observe(result, { childList: true, characterData: true, subtree: true });
                    """);
            browser.driver.findElement(By.id("label-note")).sendKeys(NOTE);
            browser.driver.findElement(By.id("label-fraud")).click();
            browser.await("the queue again, after the label",
                    d -> d.findElement(By.cssSelector("#view[data-loaded='queue']")));
            assertThat(browser.driver.getCurrentUrl()).endsWith("#/queue");
            assertThat(browser.driver.findElements(By.cssSelector("#queue tr[data-tx='" + tx + "']")))
                    .as("the labeled card left the queue").isEmpty();
            assertThat(browser.driver.findElements(By.cssSelector("#queue tr[data-tx='" + other + "']")))
                    .as("the other cards stay").hasSize(1);
            assertThat((Boolean) browser.script("return window.vigilTest.disabled;"))
                    .as("the label buttons were disabled while sending").isTrue();
            assertThat(browser.script("return window.vigilTest.results;").toString())
                    .contains("Labeled fraud and published.");

            // on fraud.labels: one label, the analyst's, keyed by the card
            List<AlertingPipeline.KeyedLabel> onTopic = pipeline.labels(read -> read.stream()
                    .anyMatch(l -> l.label().getTransactionId().equals(tx)), WAIT).stream()
                    .filter(l -> l.label().getTransactionId().equals(tx)).toList();
            assertThat(onTopic).as("labels of %s on fraud.labels", tx).hasSize(1);
            FraudLabel label = onTopic.get(0).label();
            assertThat(onTopic.get(0).key()).isEqualTo(card);
            assertThat(label.getCardId()).isEqualTo(card);
            assertThat(label.getIsFraud()).isTrue();
            assertThat(label.getSource()).isEqualTo(LabelSource.ANALYST);
            assertThat(label.getLabeledBy()).isEqualTo(ANALYST);
            assertThat(label.getNote()).isEqualTo(NOTE);
            assertThat(label.getTransactionTime()).isEqualTo(alert.getEventTime());

            // in the cases index: the case indexer applied it
            JsonNode indexed = awaitCase(tx, c -> "fraud".equals(c.path("label").asText(null)));
            assertThat(indexed.path("label").asText()).isEqualTo("fraud");
            assertThat(indexed.path("label_source").asText()).isEqualTo(LabelSource.ANALYST.name());

            // and in the audit log, with who
            assertThat(auditLines(tx)).hasSize(1).allSatisfy(l -> assertThat(l).contains(ANALYST).contains("fraud"));

            // the case now shows the label; a search by merchant and label finds it
            browser.driver.get(console.url() + "#/case/" + tx);
            WebElement labelRow = browser.await("the label on the case", d -> d.findElement(By.cssSelector(
                    "#case-labels-table tr[data-verdict='fraud'][data-analyst='" + ANALYST + "']")));
            assertThat(labelRow.getText()).contains(NOTE); // as text: the note's markup was not run
            assertThat(browser.driver.findElement(By.cssSelector("#case-merchant [data-field='frauds']")).getText())
                    .as("the merchant's labeled frauds, from the cases index").isEqualTo("1");
            // another card's case finds it among the most similar past frauds (k-NN on the case vectors)
            browser.driver.get(console.url() + "#/case/" + other);
            browser.await("the labeled case among the similar frauds of " + other, d -> d.findElement(
                    By.cssSelector("#case[data-tx='" + other + "'] #case-similar-table tr[data-tx='" + tx + "']")));
            browser.driver.get(console.url() + "#/search?merchant=" + alert.getMerchantId() + "&label=fraud");
            WebElement found = browser.await("the labeled case in the search results",
                    d -> d.findElement(By.cssSelector("#search-results tr[data-tx='" + tx + "']")));
            assertThat(found.getText()).contains("Fraud").contains(masked);
            // free text over the reasons runs on OpenSearch: a word of the alert's top reason finds it, another not
            String reason = alert.getReasons().stream().filter(r -> r.getContribution() > 0)
                    .max(java.util.Comparator.comparingDouble(r -> r.getContribution())).orElseThrow().getFeature();
            String word = reason.split("_")[reason.split("_").length - 1];
            browser.driver.get(console.url() + "#/search?merchant=" + alert.getMerchantId() + "&q=" + word);
            browser.await("the case found by the word '" + word + "' of its reason " + reason,
                    d -> d.findElement(By.cssSelector("#search-results tr[data-tx='" + tx + "']")));
            browser.driver.get(console.url() + "#/search?merchant=" + alert.getMerchantId() + "&q=" + word
                    + "+nosuchreason");
            browser.await("no case for a word no reason has",
                    d -> d.findElement(By.cssSelector("#view[data-loaded='search'] #search-count[data-count='0']")));

            // the model view loads, with a refusal the feedback loop's gate published on fraud.gate
            String why = "AP 0.4100 vs live 0.4400 (tolerance 0.0100, worse); run " + pipeline.run;
            pipeline.publishVerdict(GateOutcome.newBuilder().setDecidedTime(Instant.now()).setBaseModelHash("it")
                    .setOutcome("refused").setLiveVersion("1").setReleaseVersion(null).setReason(why)
                    .setMetrics(Map.of("holdout_ap", 0.41, "holdout_ap_live", 0.44)).build());
            WebElement refusal = null;
            long refusalDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int visit = 0; refusal == null && System.nanoTime() < refusalDeadline; visit++) {
                browser.driver.get(console.url() + "#/model?visit=" + visit); // the page reads the model per visit
                browser.await("the model view", d -> d.findElement(By.cssSelector("#view[data-loaded='model']")));
                refusal = browser.driver.findElements(By.cssSelector("#model-refusals-table tr")).stream()
                        .filter(tr -> tr.getText().contains(pipeline.run)).findFirst().orElse(null);
                if (refusal == null) {
                    Thread.sleep(500); // the console's topic follower has not read it yet
                }
            }
            assertThat(refusal).as("the refusal on the model view").isNotNull();
            assertThat(refusal.getText()).contains("0.410").contains("0.440");
            browser.screenshot(screenshots, "console-model.png");
            assertThat(browser.driver.findElement(By.id("notice")).isDisplayed()).isFalse();
            browser.driver.findElement(By.id("sign-out")).click();
            browser.await("the sign-in page after signing out",
                    d -> URI.create(d.getCurrentUrl()).getPath().equals("/login") ? true : null);
            browser.driver.get(console.url());
            browser.await("the sign-in page for a signed-out browser", d -> d.findElement(By.id("login-form")));
        }
        System.out.printf("ConsoleBrowserIT: the browser journey took %d s%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    @Test
    void refusesAWrongPasswordALabelWithoutTheCsrfTokenAndALabelInAnotherAnalystsNameAndPublishesNothing()
            throws Exception {
        String tx = queueRows.get(queueRows.size() - 1).getTransactionId();

        ConsoleSession stranger = new ConsoleSession(console.url());
        HttpResponse<String> refused = stranger.signIn(ANALYST, "not the password");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("Wrong user name or password");
        assertThat(stranger.has(ConsoleServer.SESSION_COOKIE)).isFalse();
        assertThat(stranger.get("api/queue").statusCode()).isEqualTo(401);

        ConsoleSession analyst = ConsoleSession.signedIn(console.url(), ANALYST, PASSWORD);
        String csrf = analyst.csrf();
        assertThat(csrf).isNotBlank();
        Map<String, Object> label = new LinkedHashMap<>(Map.of("transactionId", tx, "verdict", "fraud",
                "note", "sent by a script", "submissionId", UUID.randomUUID().toString()));

        HttpResponse<String> noToken = analyst.post("api/labels", label, null);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(ConsoleSession.JSON.readTree(noToken.body()).path("error").asText())
                .isEqualTo("missing or wrong CSRF token");
        assertThat(analyst.post("api/labels", label, "not-" + csrf).statusCode()).isEqualTo(403);

        for (String field : List.of("labeledBy", "analyst")) {
            Map<String, Object> forged = new LinkedHashMap<>(label);
            forged.put(field, "mallory");
            HttpResponse<String> r = analyst.post("api/labels", forged, csrf);
            assertThat(r.statusCode()).as("%s: mallory -> %s", field, r.body()).isEqualTo(400);
            assertThat(ConsoleSession.JSON.readTree(r.body()).path("error").asText()).contains(field);
        }

        // nothing was published, audited or taken off the queue
        List<AlertingPipeline.KeyedLabel> all = pipeline.labels(read -> true, Duration.ZERO);
        assertThat(all.stream().filter(l -> l.label().getTransactionId().equals(tx)).toList())
                .as("labels of %s on fraud.labels", tx).isEmpty();
        assertThat(auditLines(tx)).isEmpty();
        JsonNode queue = ConsoleSession.json(analyst.get("api/queue?limit=1000")).path("cards");
        assertThat(StreamSupport.stream(queue.spliterator(), false).map(c -> c.path("transactionId").asText()))
                .contains(tx);
    }

    // ---------------------------------------------------------------- helpers

    /** What the build was asked for, as system properties. */
    static final class Option {
        static Path screenshots() {
            String dir = System.getProperty("vigil.console.screenshots");
            return dir == null || dir.isBlank() ? null : Path.of(dir).toAbsolutePath();
        }
    }

    private static void signIn(HeadlessChromium browser, String user, String password) {
        WebElement name = browser.driver.findElement(By.id("login-username"));
        name.clear();
        name.sendKeys(user);
        WebElement secret = browser.driver.findElement(By.id("login-password"));
        secret.clear();
        secret.sendKeys(password);
        browser.driver.findElement(By.id("login-submit")).click();
    }

    private static String amount(long minor) {
        return new Money(minor, "EUR").toDecimalString() + " EUR";
    }

    private static Set<String> ids(List<FraudAlert> alerts) {
        return alerts.stream().map(FraudAlert::getTransactionId).collect(Collectors.toSet());
    }

    /** The audit log's lines that name the transaction. */
    private static List<String> auditLines(String tx) throws IOException {
        Path log = console.dataDir.resolve("audit.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(tx)).toList() : List.of();
    }

    /** The case's document in the cases index, once {@code ready} holds for it (refreshing the index each time). */
    private static JsonNode awaitCase(String tx, java.util.function.Predicate<JsonNode> ready) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = pipeline.stack.openSearchUrl() + "/" + pipeline.caseIndex;
        JsonNode last = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            http.send(HttpRequest.newBuilder(URI.create(base + "/_refresh")).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/_doc/" + tx))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                last = ConsoleSession.JSON.readTree(r.body()).path("_source");
                if (ready.test(last)) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the cases index " + pipeline.caseIndex + " did not show the label of " + tx
                + " within " + WAIT + "; last seen: " + last);
    }

    private static void awaitTrue(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }
}
