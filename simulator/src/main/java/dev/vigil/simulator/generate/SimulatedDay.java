package dev.vigil.simulator.generate;

import dev.vigil.schemas.Money;
import dev.vigil.schemas.csv.CsvTransaction;
import java.time.Instant;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * One simulated day of payments in event-time order. Rows are made as they are read ({@link #get}), from a compact
 * form, so holding a day costs a few dozen bytes a payment; transaction ids ("t" + sequence number) run on across days.
 */
public final class SimulatedDay {
    private static final Scenario[] SCENARIOS = Scenario.values();
    private final LocalDate date;
    private final long firstSequence;
    private final DayBuffer payments;
    private final int[] order;
    private final World world;
    private final String currency;
    private final long seed;
    private final long[] rows = new long[Scenario.values().length];

    SimulatedDay(LocalDate date, long firstSequence, DayBuffer payments, World world, String currency, long seed) {
        this.date = date;
        this.firstSequence = firstSequence;
        this.payments = payments;
        this.order = payments.eventTimeOrder();
        this.world = world;
        this.currency = currency;
        this.seed = seed;
        for (int i = 0; i < payments.size; i++) {
            rows[payments.scenario[i]]++;
        }
    }

    /** Days since the start of the run (0 is the first day). */
    public int index() {
        return payments.day;
    }

    public LocalDate date() {
        return date;
    }

    public int size() {
        return payments.size;
    }

    /** The sequence number of the day's first transaction; its id is "t" + this. */
    public long firstSequence() {
        return firstSequence;
    }

    /** The i-th payment of the day in event-time order. */
    public CsvTransaction get(int i) {
        int k = order[i];
        Merchant merchant = world.merchants.get(payments.merchant[k]);
        Scenario scenario = scenario(i);
        int device = payments.device[k];
        return new CsvTransaction(
                "t" + (firstSequence + i),
                Instant.ofEpochSecond(payments.startEpochSecond + payments.second[k]),
                world.cards.get(payments.card[k]).id(),
                merchant.id(),
                new Money(payments.amountMinor[k], currency),
                merchant.category().tag(),
                merchant.country(),
                merchant.channel().tag(),
                device == DayBuffer.NO_DEVICE ? null : Devices.id(seed, device),
                payments.latE4[k] / 1e4,
                payments.lonE4[k] / 1e4,
                scenario.label(),
                scenario.tag());
    }

    /** The scenario of the i-th payment in event-time order, without building the row. */
    public Scenario scenario(int i) {
        return SCENARIOS[payments.scenario[order[i]]];
    }

    /** The day's payments in event-time order: a read-only view that builds each row when it is read. */
    public List<CsvTransaction> transactions() {
        return new Rows();
    }

    /** Rows of a scenario today. */
    public long count(Scenario scenario) {
        return rows[scenario.ordinal()];
    }

    public long frauds() {
        return payments.size - rows[Scenario.LEGIT.ordinal()];
    }

    /**
     * Fraud incidents begun today: merchants or cards compromised, card tests, takeovers, disputes, wave merchants.
     * The first day also counts the compromises still running from before the start.
     */
    public int incidents(Scenario scenario) {
        return payments.incidents[scenario.ordinal()];
    }

    private final class Rows extends AbstractList<CsvTransaction> implements RandomAccess {
        @Override
        public CsvTransaction get(int index) {
            return SimulatedDay.this.get(index);
        }

        @Override
        public int size() {
            return payments.size;
        }
    }
}
