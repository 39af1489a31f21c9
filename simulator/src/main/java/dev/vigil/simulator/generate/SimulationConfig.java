package dev.vigil.simulator.generate;

import dev.vigil.schemas.Money;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Everything a simulation run depends on: the same config gives the same transactions, byte for byte.
 *
 * @param start        the first simulated day (UTC)
 * @param days         how many days to simulate
 * @param cards        number of cards
 * @param merchants    number of merchants (terminals)
 * @param seed         the seed every random draw derives from
 * @param currency     ISO 4217 code of every amount; amounts are drawn on a euro scale whatever the currency
 * @param waveStartDay the day (0 = {@code start}) the fuel-station {@link Scenario#MERCHANT_WAVE} begins;
 *                     empty: no wave
 */
public record SimulationConfig(LocalDate start, int days, int cards, int merchants, long seed, String currency,
                               OptionalInt waveStartDay) {

    public static final LocalDate DEFAULT_START = LocalDate.of(2026, 1, 1);
    public static final int MIN_CARDS = 10;
    /** Enough for a merchant of every category in every channel it sells in. */
    public static final int MIN_MERCHANTS = 50;
    public static final int MAX_DAYS = 3660;

    public SimulationConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(waveStartDay, "waveStartDay");
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be between 1 and " + MAX_DAYS + ", got " + days);
        }
        if (cards < MIN_CARDS) {
            throw new IllegalArgumentException("cards must be at least " + MIN_CARDS + ", got " + cards);
        }
        if (merchants < MIN_MERCHANTS) {
            throw new IllegalArgumentException("merchants must be at least " + MIN_MERCHANTS + ", got " + merchants);
        }
        Money.fractionDigits(currency);
        if (waveStartDay.isPresent() && (waveStartDay.getAsInt() < 0 || waveStartDay.getAsInt() >= days)) {
            throw new IllegalArgumentException("wave start day must be between 0 and days - 1 (" + (days - 1)
                    + "), got " + waveStartDay.getAsInt());
        }
    }

    /** A run from {@link #DEFAULT_START} in euros, without the wave. */
    public static SimulationConfig of(int days, int cards, int merchants, long seed) {
        return new SimulationConfig(DEFAULT_START, days, cards, merchants, seed, Money.DEFAULT_CURRENCY,
                OptionalInt.empty());
    }

    public SimulationConfig withWaveStartDay(int day) {
        return new SimulationConfig(start, days, cards, merchants, seed, currency, OptionalInt.of(day));
    }

    public SimulationConfig withSeed(long newSeed) {
        return new SimulationConfig(start, days, cards, merchants, newSeed, currency, waveStartDay);
    }

    public SimulationConfig withStart(LocalDate newStart) {
        return new SimulationConfig(newStart, days, cards, merchants, seed, currency, waveStartDay);
    }

    public SimulationConfig withCurrency(String newCurrency) {
        return new SimulationConfig(start, days, cards, merchants, seed, newCurrency, waveStartDay);
    }

    /** The last simulated day. */
    public LocalDate end() {
        return start.plusDays(days - 1L);
    }

    long startEpochSecond() {
        return start.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }
}
