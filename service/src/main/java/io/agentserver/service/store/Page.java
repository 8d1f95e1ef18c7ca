package io.agentserver.service.store;

import java.util.List;

/** One page of a listing and the total number of rows across all pages. */
public record Page<T>(long total, List<T> rows) {
}
