package dev.vigil.schemas.cli;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One setting, defined once: its name (the command-line flag without its dashes), its default, its documentation and
 * the rule a value must keep, in the spirit of Kafka's {@code ConfigDef}. The picocli option takes its default and
 * description from here (through a {@link SettingGroup}); the record the value ends up in checks it with
 * {@link #check} or {@link #invalid}, so a bad value's message names the flag a user can actually set.
 *
 * @param <T> the value's type (boxed)
 */
public final class Setting<T> {

    private final String name;
    private final T defaultValue;
    private final String doc;
    private final String rule;
    private final Predicate<T> valid;

    private Setting(String name, T defaultValue, String doc, String rule, Predicate<T> valid) {
        if (name == null || name.isBlank() || name.startsWith("-")) {
            throw new IllegalArgumentException("a setting's name is its flag without dashes: " + name);
        }
        this.name = name;
        this.defaultValue = defaultValue;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.rule = rule;
        this.valid = valid;
    }

    /** A setting any value of its type may take. */
    public static <T> Setting<T> of(String name, T defaultValue, String doc) {
        return new Setting<>(name, defaultValue, doc, null, v -> true);
    }

    /** The same setting with a rule: {@code rule} completes "--name must be ...". */
    public Setting<T> must(String rule, Predicate<T> valid) {
        return new Setting<>(name, defaultValue, doc, Objects.requireNonNull(rule), Objects.requireNonNull(valid));
    }

    public static Setting<Integer> atLeast(String name, int defaultValue, int min, String doc) {
        return of(name, defaultValue, doc).must("at least " + min, v -> v != null && v >= min);
    }

    /** In [min, max] when {@code openLow} and {@code openHigh} are false; either end may be open. */
    public static Setting<Double> between(String name, double defaultValue, double min, boolean openLow, double max,
            boolean openHigh, String doc) {
        String text = "in " + (openLow ? "(" : "[") + plain(min) + ", " + plain(max) + (openHigh ? ")" : "]");
        return of(name, defaultValue, doc).must(text, v -> v != null
                && (openLow ? v > min : v >= min) && (openHigh ? v < max : v <= max));
    }

    /** Finite and at least {@code min} (strictly above it when {@code strict}). */
    public static Setting<Double> finiteFrom(String name, double defaultValue, double min, boolean strict,
            String doc) {
        return of(name, defaultValue, doc).must((strict ? "> " : ">= ") + plain(min) + " and finite",
                v -> v != null && Double.isFinite(v) && (strict ? v > min : v >= min));
    }

    public static Setting<Duration> positiveDuration(String name, Duration defaultValue, String doc) {
        return of(name, defaultValue, doc).must("a positive duration (ISO-8601, e.g. P7D)",
                v -> v != null && !v.isNegative() && !v.isZero());
    }

    public static Setting<Duration> nonNegativeDuration(String name, Duration defaultValue, String doc) {
        return of(name, defaultValue, doc).must("a duration >= 0 (ISO-8601, e.g. P2D or PT0S)",
                v -> v != null && !v.isNegative());
    }

    public String name() {
        return name;
    }

    /** {@code --name}: what a user types. */
    public String flag() {
        return "--" + name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** The default as the command line would spell it (durations as ISO-8601, whole days as PnD). */
    public String defaultText() {
        if (defaultValue instanceof Duration d && !d.isZero() && d.toSeconds() % 86_400 == 0 && d.getNano() == 0) {
            return "P" + d.toDays() + "D";
        }
        return defaultValue == null ? null : String.valueOf(defaultValue);
    }

    /** {@code value}, or the error that names the flag and the rule. */
    public T check(T value) {
        if (!valid.test(value)) {
            throw invalid(value);
        }
        return value;
    }

    /** The error for a value that breaks this setting's rule (for checks the rule alone cannot make). */
    public IllegalArgumentException invalid(Object value) {
        return new IllegalArgumentException(flag() + " must be " + (rule == null ? "valid" : rule) + ", got "
                + value);
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return flag() + (defaultValue == null ? "" : " (default " + defaultText() + ")");
    }
}
