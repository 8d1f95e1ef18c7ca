package io.agentserver.bench.workload;

import io.agentserver.bench.measure.Result;
import io.agentserver.bench.sut.SystemUnderTest;

/** One workload of issue 8, run against one freshly started system. */
public interface Workload {

    /** e.g. {@code A: 1000 subscribers on 1 execution, 100 events/s}. */
    String title();

    /** How many replicas of our server it needs. */
    default int replicas() {
        return 1;
    }

    /** Whether only our server can run it (XAgent runs and replicas); else nchan and the Node gateway run it too. */
    default boolean oursOnly() {
        return false;
    }

    Result run(SystemUnderTest system) throws Exception;
}
