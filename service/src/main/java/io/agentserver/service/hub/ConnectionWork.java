package io.agentserver.service.hub;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * One connection's protocol work, run in order, one task at a time, on a virtual thread that exists only while
 * there is work: decoding and answering client messages, store reads, starting runs, subscribing. It keeps that
 * work off the WebSocket listener's thread (which must go on reading pings, pongs and closes) and off the
 * socket's writer (which only writes bytes), so a slow store or broker never stalls reads or writes. A protocol
 * handler's state is confined to this executor; nothing here interrupts a task.
 *
 * <p>{@link #finish} queues the last task (the end of the connection); tasks offered after it are dropped.
 */
public final class ConnectionWork implements Executor {

    private static final System.Logger LOG = System.getLogger(ConnectionWork.class.getName());
    private static final VarHandle SCHEDULED;

    static {
        try {
            SCHEDULED = MethodHandles.lookup().findVarHandle(ConnectionWork.class, "scheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String connectionId;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean scheduled;
    private volatile boolean finished;
    private volatile Thread worker;

    public ConnectionWork(String connectionId) {
        this.connectionId = connectionId;
    }

    /** Queues {@code task} behind the connection's earlier work; dropped after {@link #finish}. */
    @Override
    public void execute(Runnable task) {
        if (finished) {
            return;
        }
        tasks.offer(task);
        schedule();
    }

    /** Queues the connection's last task; nothing offered later runs. */
    public void finish(Runnable last) {
        tasks.offer(last);
        finished = true;
        schedule();
    }

    /** True on the thread that runs this connection's work. */
    public boolean onWorkThread() {
        return Thread.currentThread() == worker;
    }

    private void schedule() {
        if (!scheduled && SCHEDULED.compareAndSet(this, false, true)) {
            Thread.ofVirtual().name("ws-work-" + connectionId).start(this::runAll);
        }
    }

    private void runAll() {
        Thread self = Thread.currentThread();
        worker = self;
        try {
            while (true) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    run(task);
                }
                scheduled = false;
                if (tasks.isEmpty() || !SCHEDULED.compareAndSet(this, false, true)) {
                    return;
                }
            }
        } finally {
            if (worker == self) {
                worker = null;
            }
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection work failed conn=" + connectionId, e);
        }
    }
}
