package dev.vigil.model.features;

import dev.vigil.model.context.Case;
import dev.vigil.schemas.Money;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.csv.CsvTransaction;
import java.time.Instant;
import java.util.Objects;

/**
 * The model's view of one payment: what feature encoding reads, the same whether it came from a history CSV
 * (training) or from {@code payments.transactions} (serving).
 *
 * <p>The first six fields are required, the currency a known ISO 4217 code (anything else is an
 * IllegalArgumentException: a malformed payment, for the dead-letter topic). The optional ones are null when absent, blank or unusable; they never make
 * feature computation fail: a missing value encodes as 0 plus a "missing" flag where the model needs to tell the
 * two apart (location, device, channel). Coordinates come as a pair: one without the other, or one out of range,
 * makes the location missing.
 *
 * @param amountMinor the amount in the currency's minor units, never negative
 * @param currency ISO 4217 code
 */
public record Payment(
        String transactionId,
        Instant eventTime,
        String cardId,
        String merchantId,
        long amountMinor,
        String currency,
        String merchantCategory,
        String country,
        String channel,
        String deviceId,
        Double lat,
        Double lon) {

    /** The same payment with another card id (a token in place of the card's id). */
    public Payment withCardId(String id) {
        return new Payment(transactionId, eventTime, id, merchantId, amountMinor, currency, merchantCategory, country,
                channel, deviceId, lat, lon);
    }

    private static final double[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    public Payment {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(currency, "currency");
        if (amountMinor < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + amountMinor);
        }
        Money.fractionDigits(currency); // validates the code
        merchantCategory = blankToNull(merchantCategory);
        country = blankToNull(country);
        channel = blankToNull(channel);
        deviceId = blankToNull(deviceId);
        boolean located = lat != null && lon != null && Double.isFinite(lat) && Double.isFinite(lon)
                && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
        if (!located) {
            lat = null;
            lon = null;
        }
    }

    /** A row of the canonical CSV (its label and scenario are not features and are left out). */
    public static Payment of(CsvTransaction row) {
        return new Payment(row.transactionId(), row.eventTime(), row.cardId(), row.merchantId(),
                row.amount().minorUnits(), row.amount().currency(), row.merchantCategory(), row.country(),
                row.channel(), row.deviceId(), row.lat(), row.lon());
    }

    /** A {@code payments.transactions} record. */
    public static Payment of(Transaction t) {
        return new Payment(t.getTransactionId(), t.getEventTime(), t.getCardId(), t.getMerchantId(),
                t.getAmountMinor(), t.getCurrency(), t.getMerchantCategory(), t.getCountry(), t.getChannel(),
                t.getDeviceId(), t.getLat(), t.getLon());
    }

    public long eventMillis() {
        return eventTime.toEpochMilli();
    }

    /** The amount in major units, for features only (no exchange rates: amounts of different currencies mix). */
    public double amountMajor() {
        int digits = Money.fractionDigits(currency);
        return digits < POWERS_OF_TEN.length ? amountMinor / POWERS_OF_TEN[digits] : amountMinor / Math.pow(10, digits);
    }

    /** True when the amount is a whole number of major units (prepaid fuel, gift cards, card testing's 1.00). */
    public boolean wholeAmount() {
        int digits = Money.fractionDigits(currency);
        long unit = 1;
        for (int i = 0; i < digits; i++) {
            unit *= 10;
        }
        return amountMinor % unit == 0;
    }

    public boolean hasLocation() {
        return lat != null;
    }

    public PaymentChannel channelKind() {
        return PaymentChannel.parse(channel);
    }

    /** This payment as a case for the context sources, with its case vector ({@code FeatureEncoder.caseVector}). */
    public Case toCase(float[] caseVector) {
        return new Case(transactionId, cardId, merchantId, eventTime, amountMinor, currency, caseVector);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
