package io.uspbridge.store;

/**
 * What the health check and metrics report about the {@link StateStore}.
 *
 * @param state         {@link State#OK} while changes reach the file; {@link State#DEGRADED} while they do not
 *                      (running in memory, or writes failing and being retried)
 * @param detail        for operators: why the store is degraded, or a notable event of this run (a fresh start
 *                      after an unreadable file); null when there is nothing to say
 * @param location      the file
 * @param commits       SQLite transactions committed since start (each is one batch of coalesced changes)
 * @param rowsWritten   rows inserted, updated or deleted by those transactions
 * @param failedCommits transactions that failed (their changes were kept and retried)
 * @param entries       entries held: parameter values, rows, counters and key-value pairs
 * @param pending       changes waiting for the next commit
 */
public record StoreStatus(State state, String detail, String location, long commits, long rowsWritten,
        long failedCommits, int entries, int pending) {

    public enum State { OK, DEGRADED }

    public boolean isOk() {
        return state == State.OK;
    }
}
