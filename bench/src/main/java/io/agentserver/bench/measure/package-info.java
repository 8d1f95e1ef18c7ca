/** What a run measures: latency histograms, CPU and RSS from /proc, JVM heap through jcmd, and the result table. */
package io.agentserver.bench.measure;
