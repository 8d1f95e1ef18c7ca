/**
 * Keeping secrets out of what people read: {@link io.agentserver.service.secrets.Redactor} scrubs text that may
 * carry credentials (an upstream's error body, an exception message) before it reaches a user or a log, and
 * {@link io.agentserver.service.secrets.Redacted} renders settings values for {@code toString} — a key as
 * {@code <set>}, a URL without its user info and secret query parameters.
 */
package io.agentserver.service.secrets;
