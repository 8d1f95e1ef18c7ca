package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.history.HistoryRecorder;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.stream.StepFeed;

import java.time.Clock;
import java.util.Optional;

/**
 * What every socket's {@link SocketSubscriptions} shares on this replica: the limits, the per-user counts, the
 * fan-out of executor events, the recorded history for their recovery, the step feed and renderer of our own runs,
 * and the directory that resolves (and checks) the execution a client subscribes to.
 */
public final class Subscriptions implements AutoCloseable {

    final SubscriptionSettings settings;
    final ExecutionFanOut fanOut;
    final SubscriptionCodec codec;
    final UserSubscriptionCounts perUser;
    final OwnRuns ownRuns;
    final StepFeed feed;
    final Optional<HistoryRecorder> recorder;
    final ExecutionDirectory directory;
    final Clock clock;
    private final ServiceMetrics metrics;

    Subscriptions(SubscriptionSettings settings, ExecutionFanOut fanOut, SubscriptionCodec codec, OwnRuns ownRuns,
                  StepFeed feed, Optional<HistoryRecorder> recorder, ExecutionDirectory directory,
                  ServiceMetrics metrics, Clock clock) {
        this.settings = settings;
        this.fanOut = fanOut;
        this.codec = codec;
        this.perUser = new UserSubscriptionCounts(settings.maxPerUser());
        this.ownRuns = ownRuns;
        this.feed = feed;
        this.recorder = recorder;
        this.directory = directory;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The subscriptions of one accepted socket. */
    SocketSubscriptions forSocket(ExecutionSubscriber socket, ConnectionSession session) {
        return new SocketSubscriptions(this, socket, session);
    }

    ServiceMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        recorder.ifPresent(HistoryRecorder::close);
        directory.close();
    }
}
