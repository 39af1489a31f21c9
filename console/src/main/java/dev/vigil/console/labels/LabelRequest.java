package dev.vigil.console.labels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.console.RequestRejected;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A label as the page sends it ({@code POST /api/labels}), checked before anything happens: a JSON object with
 * {@code transactionId}, {@code verdict} (fraud, genuine or unsure), an optional {@code note} of at most 500
 * characters, and {@code submissionId} (the page's id for this one submission). The analyst is the session's: a body
 * that names another ({@code analyst} or {@code labeledBy}) is refused. Any violation is a 400 that names it.
 */
public record LabelRequest(String transactionId, String verdict, String note, String submissionId) {

    public static final int MAX_NOTE_CHARS = 500;
    public static final int MAX_ID_CHARS = 128;
    public static final Set<String> VERDICTS = Set.of("fraud", "genuine", "unsure");
    private static final Pattern SUBMISSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public LabelRequest {
        if (transactionId == null || transactionId.isBlank() || transactionId.length() > MAX_ID_CHARS) {
            throw RequestRejected.badRequest("transactionId is required (1 to " + MAX_ID_CHARS + " characters)");
        }
        if (verdict == null || !VERDICTS.contains(verdict)) {
            throw RequestRejected.badRequest("verdict must be fraud, genuine or unsure");
        }
        if (note != null && note.length() > MAX_NOTE_CHARS) {
            throw RequestRejected.badRequest("note is longer than " + MAX_NOTE_CHARS + " characters");
        }
        if (note != null && note.isBlank()) {
            note = null;
        }
        if (submissionId == null || !SUBMISSION_ID.matcher(submissionId).matches()) {
            throw RequestRejected.badRequest("submissionId is required: 1 to 100 of A-Z a-z 0-9 _ -");
        }
    }

    /** Reads and checks the body for the signed-in analyst. */
    public static LabelRequest parse(byte[] body, String analyst) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw RequestRejected.badRequest("the body is not valid JSON");
        } catch (java.io.IOException e) {
            throw RequestRejected.badRequest("the body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw RequestRejected.badRequest("the body must be a JSON object");
        }
        for (String field : new String[] {"analyst", "labeledBy"}) {
            JsonNode named = root.get(field);
            if (named != null && !named.isNull() && !(named.isTextual() && named.asText().equals(analyst))) {
                throw RequestRejected.badRequest(field + " must be the signed-in analyst (or left out)");
            }
        }
        return new LabelRequest(text(root, "transactionId"), text(root, "verdict"), text(root, "note"),
                text(root, "submissionId"));
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw RequestRejected.badRequest(field + " must be a string");
        }
        return node.asText();
    }

    public boolean learnable() {
        return !"unsure".equals(verdict);
    }
}
