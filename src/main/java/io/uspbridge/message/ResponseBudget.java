package io.uspbridge.message;

/**
 * How many entries (parameter values, instances) one response may still carry
 * ({@link MessageSettings#maxResultParams}):
 * a Get or GetInstances that would build a huge response fails path by path with 7005 instead of exhausting a
 * small hub's memory. Once exceeded, the remaining paths of the message fail too.
 */
final class ResponseBudget {
    private final int limit;
    private int used;
    private boolean exhausted;

    ResponseBudget(int limit) {
        this.limit = limit;
    }

    /** Where a path's use of the budget started, to give it back when the path fails. */
    int mark() {
        return used;
    }

    /** A path failed: what it took is returned, and no later path may start. */
    void fail(int mark) {
        used = mark;
        exhausted = true;
    }

    void giveBack(int mark) {
        used = mark;
    }

    void take(int n) {
        used += n;
        if (used > limit) {
            throw new Exceeded();
        }
    }

    boolean exhausted() {
        return exhausted;
    }

    String message() {
        return "the response would carry more than " + limit + " entries; ask for less in one message";
    }

    /** Thrown by {@link #take} past the limit. */
    static final class Exceeded extends RuntimeException {
        Exceeded() {
            super(null, null, false, false);
        }
    }
}
