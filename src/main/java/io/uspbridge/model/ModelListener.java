package io.uspbridge.model;

import java.util.List;

/** Receives the change feed, one batch per committed transaction, in order, on the agent loop. */
@FunctionalInterface
public interface ModelListener {
    void onChanges(List<ModelChange> changes);
}
