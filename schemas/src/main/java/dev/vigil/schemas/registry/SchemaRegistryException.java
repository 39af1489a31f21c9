package dev.vigil.schemas.registry;

/** The schema registry could not be reached, refused a request, or answered nonsense. The message says which. */
public class SchemaRegistryException extends RuntimeException {

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The registry refused a schema as incompatible with the subject's earlier versions (HTTP 409). */
    public static final class Incompatible extends SchemaRegistryException {
        public Incompatible(String message) {
            super(message);
        }
    }

    /** The registry has no such schema or subject (HTTP 404): the record refers to something never registered. */
    public static final class NotFound extends SchemaRegistryException {
        public NotFound(String message) {
            super(message);
        }
    }
}
