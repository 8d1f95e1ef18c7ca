/**
 * XAgent's HTTP routes: form-encoded POSTs answered with the envelope
 * {@code {"data":…,"success":bool,"message":…}}, served both at their own paths and under {@code /api}.
 */
package io.agentserver.service.xagent.http;
