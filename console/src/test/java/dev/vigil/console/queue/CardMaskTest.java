package dev.vigil.console.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CardMaskTest {

    @Test
    void aCardShowsOnlyItsLastFourCharacters() {
        assertThat(CardMask.mask("4111111111111234")).isEqualTo("****-1234");
        assertThat(CardMask.mask("c-000042")).isEqualTo("****-0042");
        assertThat(CardMask.mask("1234")).isEqualTo("****");
        assertThat(CardMask.mask("")).isEqualTo("****");
        assertThat(CardMask.mask(null)).isEqualTo("****");
    }

    @Test
    void aReferenceIsOpaqueStablePerProcessAndNamesTheCardBack() {
        CardMask cards = CardMask.random();
        String ref = cards.ref("4111111111111234");
        assertThat(ref).isEqualTo(cards.ref("4111111111111234")).doesNotContain("1234").doesNotContain("4111");
        assertThat(cards.ref("4111111111111235")).isNotEqualTo(ref);
        assertThat(CardMask.random().ref("4111111111111234")).isNotEqualTo(ref);
        assertThat(cards.cardOf(ref)).contains("4111111111111234");
        assertThat(cards.cardOf("c-unknown")).isEmpty();
    }
}
