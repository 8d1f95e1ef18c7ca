package io.agentserver.service.store;

/** A row with that key exists already. */
public class DuplicateKeyException extends StoreException {

    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
