package dev.vigil.schemas;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Money is never a float: an amount is a whole number of the currency's minor units (cents for EUR, yen for JPY).
 *
 * @param minorUnits amount in minor units, never negative
 * @param currency   ISO 4217 code, upper case
 */
public record Money(long minorUnits, String currency) {

    public static final String DEFAULT_CURRENCY = "EUR";

    public Money {
        if (minorUnits < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + minorUnits);
        }
        fractionDigits(currency); // validates the code
    }

    /**
     * Parses a decimal amount in major units ("12.34") exactly. More decimals than the currency has is an error, not a
     * rounding: a payments system must never invent or lose a cent.
     */
    public static Money parse(String decimal, String currency) {
        String code = currency == null || currency.isBlank() ? DEFAULT_CURRENCY : currency.trim().toUpperCase();
        BigDecimal value;
        try {
            value = new BigDecimal(decimal.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amount is not a decimal number: '" + decimal + "'");
        }
        int digits = fractionDigits(code);
        if (value.stripTrailingZeros().scale() > digits) {
            throw new IllegalArgumentException(
                    "amount " + decimal + " has more than " + digits + " decimals for " + code);
        }
        try {
            return new Money(value.movePointRight(digits).longValueExact(), code);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount out of range: " + decimal);
        }
    }

    /** The amount in major units as an exact decimal string, e.g. "12.30". */
    public String toDecimalString() {
        return BigDecimal.valueOf(minorUnits, fractionDigits(currency)).toPlainString();
    }

    /** The amount in major units as a double: for features and charts only, never for bookkeeping. */
    public double toMajorUnits() {
        return BigDecimal.valueOf(minorUnits, fractionDigits(currency)).doubleValue();
    }

    /** Converts a major-unit amount (a simulator draw) to minor units, rounding half-up to the currency's precision. */
    public static Money ofMajor(double major, String currency) {
        int digits = fractionDigits(currency);
        return new Money(BigDecimal.valueOf(major).setScale(digits, RoundingMode.HALF_UP).movePointRight(digits)
                .longValueExact(), currency);
    }

    public static int fractionDigits(String currency) {
        if (currency == null || currency.length() != 3) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code: '" + currency + "'");
        }
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return Math.max(digits, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown currency: '" + currency + "'");
        }
    }
}
