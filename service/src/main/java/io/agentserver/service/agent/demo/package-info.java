/**
 * The built-in deterministic demo agent: it plans subtasks from the goal and walks them with XAgent's step
 * shapes, so the service is useful and testable with no language model. {@code args.demo} shapes a run.
 */
package io.agentserver.service.agent.demo;
