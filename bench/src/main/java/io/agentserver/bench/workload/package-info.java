/** The workloads of issue 8: fan-out (A, B, E, F), idle connections (C) and XAgent demo runs (D). */
package io.agentserver.bench.workload;
