package dev.vigil.simulator.replay;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;

/**
 * Where a replay puts its records, in the order it produces them: {@link KafkaReplaySink} in production, a list in
 * tests, a scoring topology's input in the streams app's replay.
 */
public interface ReplaySink {

    /** Publishes one transaction (keyed by its card id). May return before the record is acknowledged. */
    void transaction(Transaction transaction);

    /** Publishes one label (keyed by its card id). May return before the record is acknowledged. */
    void label(FraudLabel label);

    /** Returns once everything handed over so far is acknowledged; throws if anything failed. */
    void flush();
}
