package dev.vigil.cli.bench;

import dev.vigil.bench.feedback.FeedbackBenchCommand;
import dev.vigil.bench.pipeline.PipelineBenchCommand;
import dev.vigil.bench.model.ModelBenchCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks {@code ./vigil bench} runs, in the order it runs them, each the {@code ./vigil bench} subcommand of
 * the module it measures. {@code --quick} shortens the model and pipeline benches; the feedback bench is always run
 * in full, because its simulation must be the one the model was trained on.
 */
public enum Benchmark {

    MODEL("model") {
        @Override
        List<String> options(boolean quick) {
            return quick ? List.of("--reps", "5") : List.of();
        }

        @Override
        Object newCommand() {
            return new ModelBenchCommand();
        }
    },
    PIPELINE("pipeline") {
        @Override
        List<String> options(boolean quick) {
            return quick ? QUICK_PIPELINE : List.of();
        }

        @Override
        Object newCommand() {
            return new PipelineBenchCommand();
        }
    },
    PIPELINE_WITHOUT_CONTEXT("pipeline") {
        @Override
        List<String> options(boolean quick) {
            List<String> options = new ArrayList<>(quick ? QUICK_PIPELINE : List.of());
            options.add("--no-context");
            return options;
        }

        @Override
        Object newCommand() {
            return new PipelineBenchCommand();
        }
    },
    FEEDBACK("feedback") {
        @Override
        List<String> options(boolean quick) {
            return List.of();
        }

        @Override
        Object newCommand() {
            return new FeedbackBenchCommand();
        }
    };

    private static final List<String> QUICK_PIPELINE = List.of("--transactions", "20000", "--warm-up-transactions",
            "10000", "--seconds", "10", "--warm-up-seconds", "2", "--history-days", "3");

    private final String subcommand;

    Benchmark(String subcommand) {
        this.subcommand = subcommand;
    }

    /** The {@code ./vigil bench} subcommand, e.g. {@code pipeline}. */
    public String subcommand() {
        return subcommand;
    }

    /** How reports name it: {@code bench pipeline --no-context}. */
    public String label() {
        return "bench " + subcommand + (this == PIPELINE_WITHOUT_CONTEXT ? " --no-context" : "");
    }

    /** The subcommand's arguments (after {@code ./vigil bench SUBCOMMAND}). */
    public List<String> arguments(Path model, boolean quick) {
        List<String> arguments = new ArrayList<>(List.of("--model", model.toString()));
        arguments.addAll(options(quick));
        return List.copyOf(arguments);
    }

    /** The command line a person would type to run this benchmark alone. */
    public String commandLine(Path model, boolean quick) {
        return "./vigil bench " + subcommand + " " + String.join(" ", arguments(model, quick));
    }

    abstract List<String> options(boolean quick);

    /** A fresh instance of the subcommand's picocli command. */
    abstract Object newCommand();
}
