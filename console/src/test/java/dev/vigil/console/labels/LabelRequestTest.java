package dev.vigil.console.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.console.RequestRejected;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LabelRequestTest {

    private static LabelRequest parse(String json) {
        return LabelRequest.parse(json.getBytes(StandardCharsets.UTF_8), "alice");
    }

    private static void refused(String json, String why) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(RequestRejected.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((RequestRejected) e).status()).isEqualTo(400));
    }

    @Test
    void aGoodLabelIsRead() {
        LabelRequest r = parse("""
                {"transactionId": "t-1", "verdict": "fraud", "note": "called the customer", "submissionId": "6f1c-22",
                 "analyst": "alice"}""");
        assertThat(r).isEqualTo(new LabelRequest("t-1", "fraud", "called the customer", "6f1c-22"));
        assertThat(parse("{\"transactionId\":\"t-1\",\"verdict\":\"unsure\",\"submissionId\":\"s\",\"note\":\" \"}")
                .note()).isNull();
    }

    @Test
    void badInputIsA400ThatSaysWhy() {
        refused("{\"transactionId\":\"t-1\",\"verdict\":\"maybe\",\"submissionId\":\"s\"}", "verdict");
        refused("{\"transactionId\":\"t-1\",\"verdict\":\"fraud\",\"submissionId\":\"s\",\"note\":\""
                + "x".repeat(501) + "\"}", "note is longer than 500");
        refused("{\"transactionId\":\"t-1\",\"verdict\":\"fraud\",\"submissionId\":\"s\",\"analyst\":\"mallory\"}",
                "analyst must be the signed-in analyst");
        refused("{\"transactionId\":\"t-1\",\"verdict\":\"fraud\",\"submissionId\":\"s\",\"labeledBy\":\"mallory\"}",
                "labeledBy");
        refused("{\"transactionId\":\"t-1\",\"verdict\":\"fraud\"", "not valid JSON");
        refused("{\"transactionId\":\"t-1\"} trailing", "not valid JSON");
        refused("{\"verdict\":\"fraud\",\"verdict\":\"genuine\",\"transactionId\":\"t\",\"submissionId\":\"s\"}",
                "not valid JSON");
        refused("[1, 2]", "JSON object");
        refused("", "JSON object");
        refused("{\"verdict\":\"fraud\",\"submissionId\":\"s\"}", "transactionId is required");
        refused("{\"transactionId\":\"t-1\",\"verdict\":\"fraud\"}", "submissionId is required");
        refused("{\"transactionId\":\"t-1\",\"verdict\":\"fraud\",\"submissionId\":\"a b\"}", "submissionId");
        refused("{\"transactionId\":7,\"verdict\":\"fraud\",\"submissionId\":\"s\"}", "transactionId must be a string");
    }
}
