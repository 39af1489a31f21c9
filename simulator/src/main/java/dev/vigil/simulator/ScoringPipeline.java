package dev.vigil.simulator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code ./vigil replay --model} needs from the scoring side, which lives in modules the simulator does not
 * depend on: start a whole pipeline (a broker, registry and OpenSearch with the scorer and the case indexer) for a
 * model, let the replay publish into it, then collect one score per published transaction into a scores CSV.
 */
public interface ScoringPipeline {

    /** Starts the pipeline for {@code model}; the replay publishes to the returned connection. */
    Running start(Path model, PrintWriter out) throws Exception;

    /** A started pipeline. Closing it stops everything it started. */
    interface Running extends AutoCloseable {
        String bootstrapServers();

        String schemaRegistryUrl();

        /**
         * Waits until {@code transactions} are accounted for (scored, or dead-lettered with a reason) and writes the
         * scores to {@code scoresOut}; gives up after {@code idle} without progress. Returns the scores written.
         */
        long collectScores(long transactions, Path scoresOut, Duration idle, PrintWriter out) throws Exception;

        @Override
        void close();
    }
}
