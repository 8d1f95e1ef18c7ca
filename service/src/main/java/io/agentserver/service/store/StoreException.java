package io.agentserver.service.store;

/** The database failed or refused an operation. Never carries connection details in its message. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
