package dev.vigil.console;

import dev.vigil.console.labels.LabelPublisher;
import dev.vigil.schemas.avro.FraudLabel;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what would have gone to fraud.labels; can be told to fail like a broker that is down. */
final class FakeLabelPublisher implements LabelPublisher {

    final List<FraudLabel> published = new CopyOnWriteArrayList<>();
    volatile boolean down;

    @Override
    public void publish(FraudLabel label) throws IOException {
        if (down) {
            throw new IOException("broker unreachable");
        }
        published.add(label);
    }
}
