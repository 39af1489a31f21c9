package dev.vigil.console.labels;

import dev.vigil.console.RequestRejected;
import dev.vigil.console.audit.AuditLog;
import dev.vigil.console.cases.CaseStore;
import dev.vigil.console.cases.CaseStoreException;
import dev.vigil.console.cases.IndexedCase;
import dev.vigil.console.queue.LabelEntry;
import dev.vigil.console.queue.Payment;
import dev.vigil.console.queue.ReviewQueue;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What happens to a checked {@link LabelRequest}: the payment must be one the console knows (read from the topics, or
 * in the cases index); fraud and genuine are published ({@link LabelPublisher}: source ANALYST, labeled by the
 * analyst, labeled now, the payment's event time) and take the card out of today's queue at once; unsure is not
 * published (nothing the loop can learn from) and leaves the card in the queue. Each is written to the audit log.
 * A submission id seen before (the last {@link #REMEMBERED} of all analysts in this console process, remembered as soon as the label is
 * published) is answered as a
 * duplicate and does nothing, so a double click or a retried request gives one label. Thread-safe: submissions are
 * handled one at a time.
 */
public final class LabelSubmissions {

    public static final int REMEMBERED = 10_000;

    /** The answer: whether a label was published now, and whether the submission was a repeat. */
    public record Outcome(boolean published, boolean duplicate) {}

    private final ReviewQueue queue;
    private final CaseStore cases;
    private final LabelPublisher publisher;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, Outcome> seen = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
            return size() > REMEMBERED;
        }
    };

    public LabelSubmissions(ReviewQueue queue, CaseStore cases, LabelPublisher publisher, AuditLog audit, Clock clock) {
        this.queue = queue;
        this.cases = cases;
        this.publisher = publisher;
        this.audit = audit;
        this.clock = clock;
    }

    public synchronized Outcome submit(LabelRequest request, String analyst) {
        String key = analyst + "\n" + request.submissionId();
        if (seen.containsKey(key)) {
            return new Outcome(false, true);
        }
        Labeled payment = payment(request.transactionId());
        Instant now = reviewTime();
        boolean published = false;
        if (request.learnable()) {
            FraudLabel label = FraudLabel.newBuilder()
                    .setTransactionId(request.transactionId())
                    .setCardId(payment.cardId())
                    .setIsFraud("fraud".equals(request.verdict()))
                    .setSource(LabelSource.ANALYST)
                    .setLabeledBy(analyst)
                    .setLabeledTime(now)
                    .setTransactionTime(payment.eventTime())
                    .setNote(request.note())
                    .build();
            try {
                publisher.publish(label);
            } catch (IOException | RuntimeException e) {
                throw new RequestRejected(503, "the label was not published, try again: " + e.getMessage());
            }
            published = true;
        }
        // remembered before anything else can fail: a retry of a published label must not publish it again
        Outcome outcome = new Outcome(published, false);
        seen.put(key, outcome);
        queue.addLabel(new LabelEntry(request.transactionId(), payment.cardId(), request.verdict(), analyst,
                now, request.note(), "ANALYST", payment.eventTime()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("transactionId", request.transactionId());
        details.put("verdict", request.verdict());
        details.put("submissionId", request.submissionId());
        details.put("published", published);
        audit.record(analyst, "label", details);
        return outcome;
    }

    /**
     * When the review happened on the stream's clock: the wall clock, unless the stream's newest payment is behind it
     * (a replay of history, the demo's simulated days), then that. The loop reads label times as event times (its
     * window's clock is the newest label), so a wall-clock label among simulated ones would move that clock months
     * ahead and empty the window. Millisecond precision, as the topic keeps it.
     */
    private Instant reviewTime() {
        Instant wall = clock.instant();
        Instant stream = queue.streamTime().orElse(wall);
        return (stream.isBefore(wall) ? stream : wall).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private record Labeled(String cardId, Instant eventTime) {}

    private Labeled payment(String transactionId) {
        Optional<Payment> read = queue.find(transactionId);
        if (read.isPresent()) {
            return new Labeled(read.get().cardId(), read.get().eventTime());
        }
        Optional<IndexedCase> indexed;
        try {
            indexed = cases.find(transactionId);
        } catch (CaseStoreException e) {
            throw new RequestRejected(503, "cannot look up transaction " + transactionId + ": " + e.getMessage());
        }
        if (indexed.isEmpty() || indexed.get().cardId().isEmpty() || indexed.get().eventTime() == null) {
            throw RequestRejected.badRequest("unknown transaction " + transactionId);
        }
        return new Labeled(indexed.get().cardId(), indexed.get().eventTime());
    }
}
