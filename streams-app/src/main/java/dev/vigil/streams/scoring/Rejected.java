package dev.vigil.streams.scoring;

/** A transaction that cannot be scored, with the stage that refused it and a reason a person can act on. */
public final class Rejected extends Exception {

    /** Where it failed, as written to {@code fraud.dlq.stage}. */
    public enum Stage {
        DESERIALIZE("deserialize"), VALIDATE("validate"), DUPLICATE("duplicate"), SCORE("score");

        private final String code;

        Stage(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Stage stage;

    public Rejected(Stage stage, String message, Throwable cause) {
        super(message, cause, false, false);
        this.stage = stage;
    }

    public Rejected(Stage stage, String message) {
        this(stage, message, null);
    }

    public Stage stage() {
        return stage;
    }

    /** The class named in the dead letter: the underlying error's if there is one. */
    public String errorClass() {
        return getCause() != null ? getCause().getClass().getName() : getClass().getName();
    }
}
