/**
 * The step cursor: the one way every view of a run (XAgent sockets, AutoGPT {@code /ws} subscribers of our runs,
 * AG-UI and A2A streams) reads its step log. A {@link io.agentserver.service.stream.StepCursor} yields a run's
 * steps from a position on, in order, each once, to its view's {@link io.agentserver.service.stream.StepSink},
 * merging what this replica's runs produce (handed over without the broker), what other replicas announce over the
 * broker, and pages read from the store; it detects gaps, reads them, retries a failed read with back-off and never
 * skips. It pages through the log only as fast as its view has room, so a replay of any size costs bounded memory.
 * Status changes reach the view after the steps stored before them, and the end of the log (a final status once
 * every step before it was shown) is reported once. The replica-wide
 * {@link io.agentserver.service.stream.StepFeed} holds one broker subscription per watched interaction, shared by
 * all its cursors, and re-reads the store for interactions that went quiet, so a lost notice costs a bounded delay.
 */
package io.agentserver.service.stream;
