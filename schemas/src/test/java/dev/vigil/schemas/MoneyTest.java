package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void parsesDecimalAmountsExactlyIntoMinorUnits() {
        assertThat(Money.parse("12.34", "EUR")).isEqualTo(new Money(1234, "EUR"));
        assertThat(Money.parse("0.1", "usd")).isEqualTo(new Money(10, "USD"));
        assertThat(Money.parse("1500", "JPY")).isEqualTo(new Money(1500, "JPY"));
        assertThat(Money.parse("7.000", null)).isEqualTo(new Money(700, "EUR"));
    }

    @Test
    void refusesToInventOrLoseACent() {
        assertThatThrownBy(() -> Money.parse("12.345", "EUR")).hasMessageContaining("more than 2 decimals");
        assertThatThrownBy(() -> Money.parse("1.5", "JPY")).hasMessageContaining("more than 0 decimals");
        assertThatThrownBy(() -> Money.parse("abc", "EUR")).hasMessageContaining("not a decimal");
        assertThatThrownBy(() -> Money.parse("-1.00", "EUR")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Money.parse("1.00", "XYZ1")).hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> Money.parse("1.00", "QQQ")).hasMessageContaining("unknown currency");
    }

    @Test
    void printsTheExactDecimal() {
        assertThat(new Money(5, "EUR").toDecimalString()).isEqualTo("0.05");
        assertThat(new Money(123456, "EUR").toDecimalString()).isEqualTo("1234.56");
        assertThat(new Money(42, "JPY").toDecimalString()).isEqualTo("42");
        assertThat(Money.ofMajor(19.999, "EUR")).isEqualTo(new Money(2000, "EUR"));
    }
}
