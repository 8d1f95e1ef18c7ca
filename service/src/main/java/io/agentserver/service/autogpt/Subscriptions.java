package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.history.HistoryRecorder;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What every socket's {@link SocketSubscriptions} shares on this replica: the limits, the per-user counts, the
 * fan-out, the two sources of recovery (the store for our runs, the recorded history for executor events), and the
 * directory that resolves (and checks) the execution a client subscribes to.
 */
public final class Subscriptions implements AutoCloseable {

    final SubscriptionSettings settings;
    final ExecutionFanOut fanOut;
    final SubscriptionCodec codec;
    final UserSubscriptionCounts perUser;
    final OwnRunReplay ownRuns;
    final Optional<HistoryRecorder> recorder;
    final ExecutionDirectory directory;

    /** The classic scheme without AutoGPT's database: subscriptions are not checked. */
    Subscriptions(SubscriptionSettings settings, ExecutionFanOut fanOut, SubscriptionCodec codec, OwnRunReplay ownRuns,
                  Optional<HistoryRecorder> recorder) {
        this(settings, fanOut, codec, ownRuns, recorder, ExecutionDirectory.unchecked());
    }

    Subscriptions(SubscriptionSettings settings, ExecutionFanOut fanOut, SubscriptionCodec codec, OwnRunReplay ownRuns,
                  Optional<HistoryRecorder> recorder, ExecutionDirectory directory) {
        this.settings = settings;
        this.fanOut = fanOut;
        this.codec = codec;
        this.perUser = new UserSubscriptionCounts(settings.maxPerUser());
        this.ownRuns = ownRuns;
        this.recorder = recorder;
        this.directory = directory;
    }

    /** The subscriptions of one accepted socket; {@code send} and {@code sendAll} queue on its writer. */
    SocketSubscriptions forSocket(ExecutionSubscriber socket, Consumer<EncodedFrame> send,
                                  Consumer<List<EncodedFrame>> sendAll) {
        return new SocketSubscriptions(this, socket, send, sendAll);
    }

    @Override
    public void close() {
        recorder.ifPresent(HistoryRecorder::close);
        directory.close();
    }
}
