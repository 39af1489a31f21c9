package dev.vigil.bench.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Offers payments at a fixed rate, as a payment gateway would: the i-th record is due {@code i / rate} seconds after
 * the start and is sent when due (never earlier; when the sender falls behind it catches up at once, and the achieved
 * rate says so). Each record's timestamp is the wall clock at its send, so the scorer's arrival time is the send time.
 */
final class PacedProducer {

    /** One payment, already serialized. */
    record Payment(byte[] key, byte[] value) {}

    /**
     * What was sent.
     *
     * @param measuredFromMillis records sent at or after this wall-clock instant are measured; earlier ones warm up
     */
    record Sent(long total, long measured, long startMillis, long measuredFromMillis, long endMillis) {
        /** The rate actually offered over the measured part. */
        double measuredRate() {
            return measured / Math.max(0.001, (endMillis - measuredFromMillis) / 1000.0);
        }
    }

    private PacedProducer() {}

    /** How many payments a run of {@code warmUp + measure} at {@code rate} offers. */
    static int needed(double rate, Duration warmUp, Duration measure) {
        return (int) Math.ceil(rate * (warmUp.toMillis() + measure.toMillis()) / 1000.0);
    }

    static Sent run(KafkaProducer<byte[], byte[]> producer, String topic, List<Payment> payments, double rate,
                    Duration warmUp, Duration measure) {
        int total = Math.min(payments.size(), needed(rate, warmUp, measure));
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        long measuredFrom = startMillis + warmUp.toMillis();
        long measured = 0;
        for (int i = 0; i < total; i++) {
            long due = startNanos + (long) (i * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            Payment p = payments.get(i);
            long now = System.currentTimeMillis();
            producer.send(new ProducerRecord<>(topic, null, now, p.key(), p.value()));
            if (now >= measuredFrom) {
                measured++;
            }
        }
        producer.flush();
        return new Sent(total, measured, startMillis, measuredFrom, System.currentTimeMillis());
    }
}
