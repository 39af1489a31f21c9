package dev.vigil.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.console.cases.IndexedCase;
import dev.vigil.console.cases.MerchantHistory;
import dev.vigil.console.queue.CardMask;
import dev.vigil.console.queue.LabelEntry;
import dev.vigil.console.queue.Payment;
import dev.vigil.console.queue.TodayStats;
import dev.vigil.feedback.releases.ReleaseLog;
import dev.vigil.schemas.Money;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.GateOutcome;
import java.time.Instant;
import java.util.Map;

/**
 * The JSON shapes of console/API.md, one method per shape. A card id is never written whole: {@code card} is masked,
 * {@code cardRef} the process's opaque handle. A number that is not one (NaN) is written as null.
 */
final class Views {

    static final ObjectMapper JSON = new ObjectMapper();

    private final CardMask cards;

    Views(CardMask cards) {
        this.cards = cards;
    }

    /** A queue card, and the {@code transaction} of a case. */
    ObjectNode payment(Payment p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("transactionId", p.transactionId());
        n.put("card", CardMask.mask(p.cardId()));
        n.put("cardRef", cards.ref(p.cardId()));
        n.put("merchantId", p.merchantId());
        n.put("eventTime", p.eventTime().toString());
        n.put("amount", p.amountText());
        number(n, "score", p.score());
        n.put("decision", p.decision());
        number(n, "reviewProbability", p.reviewProbability());
        n.put("adapterVersion", p.adapterVersion());
        ArrayNode reasons = n.putArray("reasons");
        p.reasons().forEach(reasons::add);
        return n;
    }

    /** A case known only from the index: the queue card's fields, those the index lacks null. */
    ObjectNode indexed(IndexedCase c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("transactionId", c.transactionId());
        n.put("card", CardMask.mask(c.cardId()));
        n.put("cardRef", c.cardId().isEmpty() ? null : cards.ref(c.cardId()));
        n.put("merchantId", c.merchantId());
        n.put("eventTime", c.eventTime() == null ? null : c.eventTime().toString());
        n.put("amount", amount(c.amountMinor(), c.currency()));
        n.putNull("score");
        n.putNull("decision");
        n.putNull("reviewProbability");
        n.putNull("adapterVersion");
        ArrayNode reasons = n.putArray("reasons");
        c.reasons().forEach(reasons::add);
        return n;
    }

    ObjectNode cardPayment(Payment p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("transactionId", p.transactionId());
        n.put("eventTime", p.eventTime().toString());
        n.put("amount", p.amountText());
        n.put("merchantId", p.merchantId());
        number(n, "score", p.score());
        n.put("decision", p.decision());
        return n;
    }

    ObjectNode merchantHistory(MerchantHistory h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("merchantId", h.merchantId());
        n.put("frauds", h.frauds());
        n.put("genuine", h.genuine());
        n.put("fraudRate", h.fraudRate());
        return n;
    }

    ObjectNode similar(IndexedCase c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("transactionId", c.transactionId());
        n.put("merchantId", c.merchantId());
        n.put("eventTime", c.eventTime() == null ? null : c.eventTime().toString());
        n.put("amount", amount(c.amountMinor(), c.currency()));
        number(n, "score", c.score());
        return n;
    }

    ObjectNode label(LabelEntry l) {
        ObjectNode n = JSON.createObjectNode();
        n.put("verdict", l.verdict());
        n.put("analyst", l.analyst());
        n.put("labeledTime", l.labeledTime() == null ? null : l.labeledTime().toString());
        n.put("note", l.note());
        n.put("source", l.source());
        return n;
    }

    ObjectNode release(ReleaseLog.Entry e) {
        AdapterRelease r = e.release();
        ObjectNode n = JSON.createObjectNode();
        n.put("version", r.getVersion());
        n.put("sequence", r.getSequence());
        n.put("parent", r.getParentVersion());
        n.put("created", r.getCreatedTime().toString());
        n.put("verified", e.verified());
        n.put("note", r.getNote());
        n.put("signer", r.getSignerKeyId());
        gateMetrics(n.putObject("metrics"), r.getMetrics());
        return n;
    }

    /** A refused candidate: when, the live adapter that stayed, the gate's numbers and why. */
    ObjectNode refusal(GateOutcome g) {
        ObjectNode n = JSON.createObjectNode();
        n.put("decided", g.getDecidedTime().toString());
        n.put("live", g.getLiveVersion());
        n.put("reason", g.getReason());
        gateMetrics(n.putObject("metrics"), g.getMetrics());
        return n;
    }

    /** A gate's metrics under the names the page reads: {@code holdout_} dropped, the candidate's numbers named so. */
    private void gateMetrics(ObjectNode metrics, Map<String, Double> gate) {
        for (Map.Entry<String, Double> m : gate.entrySet()) {
            String name = m.getKey().startsWith("holdout_") ? m.getKey().substring(8) : m.getKey();
            number(metrics, name, m.getValue());
        }
        // the gate's two numbers side by side, under the names the page reads
        if (metrics.has("ap")) {
            metrics.set("ap_candidate", metrics.get("ap"));
        }
        if (metrics.has("cp_at_k")) {
            metrics.set("cp_at_k_candidate", metrics.get("cp_at_k"));
        }
    }

    ObjectNode live(ReleaseLog.Entry e) {
        AdapterRelease r = e.release();
        ObjectNode n = JSON.createObjectNode();
        n.put("version", r.getVersion());
        n.put("sequence", r.getSequence());
        n.put("created", r.getCreatedTime().toString());
        n.put("signer", r.getSignerKeyId());
        n.put("verified", e.verified());
        return n;
    }

    ObjectNode today(TodayStats s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("day", s.day() == null ? null : s.day().toString());
        number(n, "cpAtK", s.cpAtK());
        n.put("k", s.k());
        n.put("labeled", s.labeled());
        number(n, "throughputTps", s.throughputTps());
        number(n, "p50Ms", s.p50Ms());
        number(n, "p99Ms", s.p99Ms());
        return n;
    }

    static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    static void number(ObjectNode n, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    static String amount(long minor, String currency) {
        try {
            return new Money(minor, currency).toDecimalString() + " " + currency;
        } catch (IllegalArgumentException e) {
            return minor + " (minor units) " + currency;
        }
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
