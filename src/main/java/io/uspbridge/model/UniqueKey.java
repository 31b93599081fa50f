package io.uspbridge.model;

import java.util.List;

/**
 * A unique key of a table: the parameters whose values together identify one row. A functional key is operational
 * data and may change while staying unique; a non-functional key (e.g. Alias) names the row and never changes after
 * creation (R-KEY.1, R-KEY.2).
 */
public record UniqueKey(List<String> params, boolean functional) {
    public UniqueKey {
        params = List.copyOf(params);
    }
}
