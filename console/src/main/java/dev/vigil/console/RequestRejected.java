package dev.vigil.console;

/**
 * A request the console refuses, with the HTTP status to answer (a 4xx, or 503 when something it depends on is
 * down) and a message meant for the person who sent it. Nothing was changed.
 */
public final class RequestRejected extends RuntimeException {

    private final int status;

    public RequestRejected(int status, String message) {
        super(message);
        this.status = status;
    }

    public static RequestRejected badRequest(String message) {
        return new RequestRejected(400, message);
    }

    public int status() {
        return status;
    }
}
