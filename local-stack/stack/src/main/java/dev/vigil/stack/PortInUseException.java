package dev.vigil.stack;

/** A port the stack was asked to use is already taken on 127.0.0.1. Nothing was started. */
public final class PortInUseException extends StackStartException {

    private final int port;

    public PortInUseException(Service service, int port) {
        super(service, "port " + port + " for " + service.displayName() + " is already in use on 127.0.0.1", null, null);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
