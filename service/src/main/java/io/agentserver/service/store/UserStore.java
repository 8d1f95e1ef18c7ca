package io.agentserver.service.store;

import java.util.Optional;

public interface UserStore {

    Optional<User> findById(String userId);

    Optional<User> findByEmail(String email);

    /** Inserts the user; fails with {@link DuplicateKeyException} when the id or email exists. */
    void insert(User user);

    /** Inserts the user unless one with that id exists; returns the stored user either way. */
    User insertIfAbsent(User user);
}
