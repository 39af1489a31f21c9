package dev.vigil.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the project version and the Java it runs on. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Vigil.class.getPackage().getImplementationVersion();
        return new String[] {
            "vigil " + (version == null ? "dev" : version),
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
