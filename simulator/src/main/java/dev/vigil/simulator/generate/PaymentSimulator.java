package dev.vigil.simulator.generate;

import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The synthetic payment generator: the ground truth every number of the project is measured on. Cards with homes and
 * habits spend at merchants near home and online; fraud scenarios ({@link Scenario}) add labeled fraud; an optional
 * wave adds a pattern the rest never shows. Same config, same transactions, byte for byte.
 * <p>
 * Generation streams day by day in event-time order: memory holds the cards, the merchants and one day, however long
 * the run. Every call to {@link #days}, {@link #transactions} or {@link #writeCsv} starts the run afresh from the
 * config; one simulator may serve several runs, one thread each.
 *
 * <pre>{@code
 * PaymentSimulator simulator = new PaymentSimulator(SimulationConfig.of(60, 5_000, 1_000, 42));
 * SimulationSummary summary = simulator.writeCsv(Path.of("transactions.csv"));
 * simulator.transactions().limit(100).forEach(System.out::println);
 * }</pre>
 */
public final class PaymentSimulator {

    private final SimulationConfig config;
    private final World world;

    public PaymentSimulator(SimulationConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.world = World.build(config);
    }

    public SimulationConfig config() {
        return config;
    }

    public List<Card> cards() {
        return world.cards;
    }

    public List<Merchant> merchants() {
        return world.merchants;
    }

    /** The home cities of this run. */
    public List<City> cities() {
        return world.cities;
    }

    /** The days of a fresh run, in order; each day's payments in event-time order. */
    public Iterator<SimulatedDay> days() {
        DayGenerator generator = new DayGenerator(config, world);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return generator.hasNext();
            }

            @Override
            public SimulatedDay next() {
                if (!generator.hasNext()) {
                    throw new NoSuchElementException("the run has " + config.days() + " days");
                }
                return generator.next();
            }
        };
    }

    /** Every payment of a fresh run in event-time order, made lazily a day at a time (a live feed, a test). */
    public Stream<CsvTransaction> transactions() {
        Spliterator<SimulatedDay> days = Spliterators.spliterator(days(), config.days(),
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(days, false).flatMap(day -> day.transactions().stream());
    }

    /** Runs through all days, handing each to {@code eachDay}. */
    public SimulationSummary run(Consumer<SimulatedDay> eachDay) {
        SimulationSummary.Tally tally = new SimulationSummary.Tally(config);
        for (Iterator<SimulatedDay> it = days(); it.hasNext(); ) {
            SimulatedDay day = it.next();
            eachDay.accept(day);
            tally.add(day);
        }
        return tally.summary();
    }

    /** Writes the run as a canonical transaction CSV, label and scenario filled in. */
    public SimulationSummary writeCsv(Path file) throws IOException {
        return writeCsv(file, day -> { });
    }

    /** As {@link #writeCsv(Path)}, calling {@code afterEachDay} once a day is written (progress). */
    public SimulationSummary writeCsv(Path file, Consumer<SimulatedDay> afterEachDay) throws IOException {
        return writeCsv(file, afterEachDay, UnaryOperator.identity());
    }

    /** As {@link #writeCsv(Path, Consumer)}, each card id written as {@code cardId} makes it (its token). */
    public SimulationSummary writeCsv(Path file, Consumer<SimulatedDay> afterEachDay, UnaryOperator<String> cardId)
            throws IOException {
        SimulationSummary.Tally tally = new SimulationSummary.Tally(config);
        try (TransactionCsv.Writer out = TransactionCsv.create(file)) {
            for (Iterator<SimulatedDay> it = days(); it.hasNext(); ) {
                SimulatedDay day = it.next();
                for (int i = 0; i < day.size(); i++) {
                    CsvTransaction row = day.get(i);
                    out.write(row.withCardId(cardId.apply(row.cardId())));
                }
                tally.add(day);
                afterEachDay.accept(day);
            }
        }
        return tally.summary();
    }
}
