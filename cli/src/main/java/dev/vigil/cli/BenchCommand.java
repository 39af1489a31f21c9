package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmarks: programs that print numbers, each measured against a baseline in the same run, whose last line has
 * a fixed form the team's tracking reads. Each subcommand lives in the module it measures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints its numbers and ends with one summary line.")
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
