/**
 * Authentication of WebSocket clients: verifies the JWT a client presents (signature with the one configured
 * algorithm and key — an HMAC secret, a PEM public key or a JWKS URL —, audience, {@code exp} required by default,
 * {@code exp}/{@code nbf} with a small leeway, {@code iss} when configured) and turns it into an
 * {@link io.agentserver.service.auth.Identity} whose user id is the {@code sub} claim and which knows when it
 * expires; {@link io.agentserver.service.auth.TokenExpiry} closes a socket at that moment. Outcomes are values
 * ({@link io.agentserver.service.auth.TokenCheck}); protocol adapters map them to close codes. With authentication
 * disabled, a development setting, every client is the AutoGPT default user; with no key configured, the process
 * generates its own secret so that the service still starts safely and can issue a development token.
 */
package io.agentserver.service.auth;
