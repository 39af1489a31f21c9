package dev.vigil.cli.demo;

import java.io.Console;

/** Whether the demo's output is a terminal that can be redrawn, or a pipe or file that gets plain lines. */
final class Terminal {

    private Terminal() {}

    /**
     * True when stdin and stdout are a terminal. {@code System.console()} says so on Java 17-21; from Java 22 it also
     * returns a console for redirected output, and {@code Console.isTerminal()} (looked up by reflection, since the
     * code targets 17) tells the difference.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a console exists only on a terminal
        }
    }
}
