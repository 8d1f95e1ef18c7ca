/**
 * The one JSON configuration of the service: how protocol frames and stored step payloads are read and
 * written, so every adapter produces the same bytes for the same value.
 */
package io.agentserver.service.json;
