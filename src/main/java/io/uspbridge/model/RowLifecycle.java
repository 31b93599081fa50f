package io.uspbridge.model;

/**
 * Behaviour of an object definition around creation, change and deletion, declared with the schema. All methods
 * run on the agent loop inside the {@link Transaction} that makes the change, so anything they change is committed
 * or rolled back with it.
 */
public interface RowLifecycle {

    /** A new instance exists, with its defaults; the creator's own values are applied right after this. */
    default void onCreate(ObjectNode row, Transaction tx) {
    }

    /**
     * Checks an object that this transaction created or changed, after all of the transaction's values for it were
     * applied (MSG-8: the whole request is evaluated before judging). Throw {@link ModelException} (e.g. 7014) to
     * refuse.
     */
    default void validate(ObjectNode object, Transaction tx) {
    }

    /** Whether {@code tx.originator()} may delete {@code row}; throw {@link ModelException} to refuse. */
    default void checkDelete(ObjectNode row, Transaction tx) {
    }

    /** {@code row} is being deleted: delete or clear what depends on it (e.g. a Controller's Subscriptions). */
    default void onDelete(ObjectNode row, Transaction tx) {
    }
}
