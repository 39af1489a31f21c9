package dev.vigil.cli;

import dev.vigil.evaluation.EvaluateCommand;
import dev.vigil.feedback.AdaptersCommand;
import dev.vigil.feedback.FeedbackCommand;
import dev.vigil.bench.feedback.FeedbackBenchCommand;
import dev.vigil.schemas.Topics;
import dev.vigil.simulator.AnalystsCommand;
import dev.vigil.simulator.ReplayCommand;
import dev.vigil.simulator.SimulateCommand;
import dev.vigil.stack.TopicSpec;
import dev.vigil.stack.UpCommand;
import dev.vigil.bench.pipeline.PipelineBenchCommand;
import dev.vigil.bench.model.ModelBenchCommand;
import dev.vigil.trainer.TrainCommand;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The single command-line entry point, run as {@code ./vigil <command>}. Each job of the system is a subcommand that
 * lives in the module that owns it; this class only wires them together.
 */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Real-time fraud detection on Kafka: a LoRA-tuned int8 transformer, OpenSearch context, "
                + "and a feedback loop from analysts' labels.",
        subcommandsRepeatable = false)
public final class Vigil implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        List<TopicSpec> topics = Topics.ALL.stream()
                .map(t -> new TopicSpec(t.name(), t.partitions(), t.compacted()))
                .toList();
        return new CommandLine(new Vigil())
                .addSubcommand("demo", new DemoCommand())
                .addSubcommand("chaos", new dev.vigil.cli.chaos.ChaosCommand())
                .addSubcommand("up", new UpCommand(topics))
                .addSubcommand("topics", new TopicsCommand())
                .addSubcommand("simulate", new SimulateCommand())
                .addSubcommand("replay", new ReplayCommand(new LocalScoringPipeline(java.nio.file.Path.of(".vigil", "replay"))))
                .addSubcommand("analysts", new AnalystsCommand())
                .addSubcommand("evaluate", new EvaluateCommand())
                .addSubcommand("train", new TrainCommand())
                .addSubcommand("streams", new dev.vigil.streams.StreamsCommand())
                .addSubcommand("feedback", new FeedbackCommand())
                .addSubcommand("adapters", new AdaptersCommand())
                .addSubcommand("cards", new CardsCommand())
                .addSubcommand("console", new dev.vigil.console.ConsoleCommand())
                .addSubcommand("bench", new CommandLine(new BenchCommand())
                        .addSubcommand("model", new ModelBenchCommand())
                        .addSubcommand("pipeline", new PipelineBenchCommand())
                        .addSubcommand("feedback", new FeedbackBenchCommand()));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
