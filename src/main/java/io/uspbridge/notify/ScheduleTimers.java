package io.uspbridge.notify;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.CommandCall;
import io.uspbridge.model.CommandDef;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.store.StateStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code Device.ScheduleTimer()} (async): its OperationComplete comes {@code DelaySeconds} after the Operate, and a
 * pending timer must survive reboots (TR-181; OPR-8). Each pending timer is kept in the store's key-value area
 * (due time as absolute wall-clock time, originator, command_key); at start-up its Request row is re-created and
 * it fires at the same instant as before, or at once when that passed while the agent was down. A fired or
 * cancelled timer is removed from the store. Runs on the agent loop.
 */
final class ScheduleTimers {
    private static final Logger LOG = Logger.getLogger(ScheduleTimers.class.getName());
    static final String NAMESPACE = "notify.schedule-timer";
    private static final String SEP = "\u001f";

    private final StateStore store;
    private final AgentLoop loop;
    private final Clock clock;
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();
    private long counter;

    ScheduleTimers(StateStore store, AgentLoop loop, Clock clock) {
        this.store = store;
        this.loop = loop;
        this.clock = clock;
    }

    /** The command handler. */
    CompletionStage<Map<String, String>> start(CommandCall call) {
        long delay = Long.parseLong(call.arg("DelaySeconds"));
        long due = clock.millis() + delay * 1000;
        String id = Long.toString(clock.millis(), 36) + "-" + (++counter);
        store.put(NAMESPACE, id, due + SEP + nz(call.originator()) + SEP + call.commandKey() + SEP
                + call.object().path());
        return await(id, due, call);
    }

    private CompletionStage<Map<String, String>> await(String id, long due, CommandCall call) {
        CompletableFuture<Map<String, String>> done = new CompletableFuture<>();
        ScheduledFuture<?> t = loop.schedule(() -> {
            timers.remove(id);
            store.remove(NAMESPACE, id);
            done.complete(Map.of());
        }, Math.max(0, due - clock.millis()), TimeUnit.MILLISECONDS);
        timers.put(id, t);
        call.cancellation().thenRun(() -> loop.run(() -> {
            ScheduledFuture<?> f = timers.remove(id);
            if (f != null) {
                f.cancel(false);
            }
            store.remove(NAMESPACE, id);
        }));
        return done;
    }

    /** Re-creates the Request rows of the timers pending when the agent stopped. */
    void resume(DataModel model, RequestTable requests) {
        for (Map.Entry<String, String> e : store.entries(NAMESPACE).entrySet()) {
            String id = e.getKey();
            String[] f = e.getValue().split(SEP, -1);
            ObjectNode object = f.length == 4 ? model.find(f[3]) : null;
            CommandDef cmd = object == null ? null : object.def().command("ScheduleTimer()");
            if (cmd == null) {
                LOG.warning("a stored ScheduleTimer() (" + id + ") names no object with that command; forgotten");
                store.remove(NAMESPACE, id);
                continue;
            }
            long due = Long.parseLong(f[0]);
            long left = Math.max(0, (due - clock.millis() + 999) / 1000);
            LOG.info(() -> "ScheduleTimer() of " + f[1] + " (command_key '" + f[2] + "') resumed; " + left
                    + " s left");
            if (!requests.resume(object, cmd, Map.of("DelaySeconds", Long.toString(Math.max(1, left))), f[2], f[1],
                    call -> await(id, due, call))) {
                store.remove(NAMESPACE, id);
            }
        }
    }

    /** The agent stops: timers stop ticking; the stored ones resume at the next start. */
    void close() {
        timers.values().forEach(t -> t.cancel(false));
        timers.clear();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
