/** JMH microbenchmarks of the service's hot paths; run with {@code java -jar bench.jar jmh [JMH options]}. */
package io.agentserver.bench.micro;
