package dev.vigil.stack;

import java.util.regex.Pattern;

/**
 * A topic the stack creates: its name, partition count, and whether it is log-compacted
 * ({@code cleanup.policy=compact}) rather than deleted by retention. The replication factor is always 1 (one broker).
 */
public record TopicSpec(String name, int partitions, boolean compacted) {

    /** Kafka's own rule for topic names (Topic.validate): 1 to 249 of [a-zA-Z0-9._-], and not "." or "..". */
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicSpec {
        if (name == null || !LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("topic name '" + name
                    + "' is not legal: use 1 to 249 characters from [a-zA-Z0-9._-], not '.' or '..'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, got " + partitions);
        }
    }

    /** A topic whose old records are deleted by retention. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, false);
    }

    /** A compacted topic: the latest record per key is kept forever. */
    public static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, true);
    }
}
