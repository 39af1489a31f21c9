package dev.vigil.simulator.replay;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a replay publishes, in order. */
final class RecordingSink implements ReplaySink {

    final List<Object> records = new ArrayList<>();
    int flushes;

    @Override
    public void transaction(Transaction transaction) {
        records.add(transaction);
    }

    @Override
    public void label(FraudLabel label) {
        records.add(label);
    }

    @Override
    public void flush() {
        flushes++;
    }

    List<Transaction> transactions() {
        return records.stream().filter(Transaction.class::isInstance).map(Transaction.class::cast).toList();
    }

    List<FraudLabel> labels() {
        return records.stream().filter(FraudLabel.class::isInstance).map(FraudLabel.class::cast).toList();
    }
}
