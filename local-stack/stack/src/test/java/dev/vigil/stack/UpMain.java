package dev.vigil.stack;

import java.util.List;

import picocli.CommandLine;

/** {@code vigil up} without the launcher, with two sample topics: for UpCommandIT and for measuring start-up by hand. */
public final class UpMain {

    static final List<TopicSpec> TOPICS = List.of(TopicSpec.of("up.payments", 3), TopicSpec.compacted("up.adapters", 1));

    private UpMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new UpCommand(TOPICS)).execute(args));
    }
}
