package dev.vigil.simulator.generate;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a run produced: rows and incidents per scenario.
 *
 * @param rows      rows per scenario, every scenario present (0 when it did not occur)
 * @param incidents fraud incidents per scenario (compromises, test runs, takeovers, disputes, wave stations)
 */
public record SimulationSummary(SimulationConfig config, long transactions, Map<Scenario, Long> rows,
                                Map<Scenario, Long> incidents) {

    public SimulationSummary {
        rows = Collections.unmodifiableMap(new EnumMap<>(rows));
        incidents = Collections.unmodifiableMap(new EnumMap<>(incidents));
    }

    public long rows(Scenario scenario) {
        return rows.getOrDefault(scenario, 0L);
    }

    public long frauds() {
        return transactions - rows(Scenario.LEGIT);
    }

    public double fraudRate() {
        return transactions == 0 ? 0 : (double) frauds() / transactions;
    }

    /** A scenario's rows as a share of all rows. */
    public double share(Scenario scenario) {
        return transactions == 0 ? 0 : (double) rows(scenario) / transactions;
    }

    /** Adds up days as they are made. */
    static final class Tally {
        private final SimulationConfig config;
        private long transactions;
        private final long[] rows = new long[Scenario.values().length];
        private final long[] incidents = new long[Scenario.values().length];

        Tally(SimulationConfig config) {
            this.config = config;
        }

        void add(SimulatedDay day) {
            transactions += day.size();
            for (Scenario s : Scenario.values()) {
                rows[s.ordinal()] += day.count(s);
                incidents[s.ordinal()] += day.incidents(s);
            }
        }

        SimulationSummary summary() {
            Map<Scenario, Long> rowMap = new EnumMap<>(Scenario.class);
            Map<Scenario, Long> incidentMap = new EnumMap<>(Scenario.class);
            for (Scenario s : Scenario.values()) {
                rowMap.put(s, rows[s.ordinal()]);
                if (s.isFraud()) {
                    incidentMap.put(s, incidents[s.ordinal()]);
                }
            }
            return new SimulationSummary(config, transactions, rowMap, incidentMap);
        }
    }
}
