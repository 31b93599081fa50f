package io.uspbridge.adapter;

import io.uspbridge.proxy.spi.AdapterException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread an adapter keeps its state on (ARCHITECTURE.md, Threading): the core's calls, the device
 * protocol's callbacks and the adapter's timers all run here, in order, so the adapter needs no locks. A task that
 * throws is logged and the thread carries on; a request from the core always ends in its future, never in a lost
 * exception.
 */
public final class AdapterThread {

    private static final Logger LOG = Logger.getLogger(AdapterThread.class.getName());

    private final String name;
    private final ScheduledThreadPoolExecutor executor;
    private volatile boolean stopped;

    public AdapterThread(String name) {
        this.name = name;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** For the adapter's own timers and for helpers that schedule on this thread. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    /** Whether {@link #stop} has begun: no new work is taken. */
    public boolean stopped() {
        return stopped;
    }

    /** Runs {@code task} on the thread; a failure is logged, never propagated. */
    public void run(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, name + ": task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.fine(name + " stopped; task dropped");
        }
    }

    /**
     * Runs a request of the core on the thread. The task completes {@code f} itself (now or later); if it throws,
     * an {@link AdapterException} fails {@code f} as it is, anything else fails it as REJECTED (and is logged, as
     * a bug); after {@link #stop} it fails with DISCONNECTED.
     */
    public void request(CompletableFuture<?> f, Runnable task) {
        try {
            executor.execute(() -> {
                if (stopped) {
                    f.completeExceptionally(new AdapterException(AdapterException.Reason.DISCONNECTED,
                            name + " is stopped"));
                    return;
                }
                try {
                    task.run();
                } catch (AdapterException e) {
                    f.completeExceptionally(e);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, name + ": request failed", e);
                    f.completeExceptionally(new AdapterException(AdapterException.Reason.REJECTED, String.valueOf(e)));
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new AdapterException(AdapterException.Reason.DISCONNECTED, name + " is stopped"));
        }
    }

    /**
     * Stops: runs {@code last} on the thread (close connections, fail what is pending), waits for it up to five
     * seconds, then ends the thread. Requests made afterwards fail with DISCONNECTED.
     */
    public void stop(Runnable last) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                stopped = true;
                try {
                    last.run();
                } finally {
                    done.complete(null);
                }
            });
            done.get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            return;
        } catch (Exception e) {
            LOG.warning(name + " did not stop cleanly: " + e);
        } finally {
            executor.shutdownNow();
        }
    }
}
