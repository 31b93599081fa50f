package io.uspbridge.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A compiled role: its enabled permission rules, highest {@code Order} first. Within one role the rule with the
 * highest Order among those whose targets cover an element decides that element's rights (13.5, 13.7).
 */
public final class Role {
    private final String name;
    private final List<PermissionRule> rules;
    private final boolean coversEverythingFully;

    Role(String name, List<PermissionRule> rules) {
        this.name = name;
        List<PermissionRule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingLong(PermissionRule::order).reversed());
        this.rules = List.copyOf(sorted);
        // The usual full-access role: one rule on "Device." granting everything, nothing that could restrict it.
        this.coversEverythingFully = !sorted.isEmpty()
                && sorted.get(0).targets().stream().anyMatch(t -> t.text().equals("Device."))
                && sorted.get(0).param() == 15 && sorted.get(0).obj() == 15 && sorted.get(0).instantiatedObj() == 15
                && sorted.get(0).commandEvent() == 15;
    }

    public String name() {
        return name;
    }

    /** Rights (bit set of {@link Right}) this role grants on an element; 0 when no rule covers it. */
    int rights(ElementKind kind, String objectPath, String leaf, Function<String, List<String>> searchMatches) {
        if (coversEverythingFully) {
            return 15;
        }
        for (PermissionRule rule : rules) {
            for (PermissionTarget t : rule.targets()) {
                if (t.covers(objectPath, leaf, searchMatches)) {
                    return rule.rights(kind);
                }
            }
        }
        return 0;
    }

    /** Whether a rule targets a search path: what it covers then depends on values in the tree. */
    boolean hasSearchTargets() {
        for (PermissionRule rule : rules) {
            for (PermissionTarget t : rule.targets()) {
                if (t.isSearch()) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean grantsEverything() {
        return coversEverythingFully;
    }

    @Override
    public String toString() {
        return name;
    }
}
