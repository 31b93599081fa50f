package io.uspbridge.model;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent event loop: the one thread that owns the data model (ARCHITECTURE.md, Threading). MTP callbacks,
 * adapter callbacks and timers post work here; nothing else changes the model. A task that fails is logged and the
 * loop carries on: one bad request must never stop the agent.
 */
public final class AgentLoop implements Executor, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentLoop.class.getName());

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    public AgentLoop(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // Start the thread now, so that inLoop() and ownership checks have it.
        try {
            executor.submit(() -> { }).get();
        } catch (Exception e) {
            throw new IllegalStateException("agent loop did not start", e);
        }
    }

    /** True when called on the loop thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guard(task));
        } catch (RejectedExecutionException e) {
            LOG.fine("agent loop stopped; task dropped");
        }
    }

    /** Runs {@code task} on the loop and completes with its result (or its failure). */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Runs {@code task} on the loop: at once when already on it, else posted. */
    public void run(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            execute(task);
        }
    }

    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return executor.schedule(guard(task), delay, unit);
    }

    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return executor.scheduleAtFixedRate(guard(task), initialDelay, period, unit);
    }

    /** The loop as a scheduler, for code that wants the standard interface. */
    public ScheduledExecutorService scheduler() {
        return executor;
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(Level.SEVERE, "agent loop task failed; continuing", t);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
