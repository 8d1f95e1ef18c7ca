/**
 * Cross-origin rules of the HTTP and WebSocket edge: the CORS allowlist applied to the HTTP routes and the
 * optional {@code Origin} allowlist checked when a browser upgrades to a WebSocket. Both come from one
 * settings record, {@link io.agentserver.service.web.OriginPolicy}.
 */
package io.agentserver.service.web;
