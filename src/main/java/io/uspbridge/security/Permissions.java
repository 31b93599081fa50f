package io.uspbridge.security;

import io.uspbridge.model.CommandDef;
import io.uspbridge.model.EventDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Table;
import io.uspbridge.path.ReadAccess;
import java.util.List;
import java.util.function.Function;

/**
 * What one controller may do right now: the union of the rights of all its roles (assigned and inherited; the
 * untrusted role for an unknown controller), R-SEC.1, 13.5, 13.7. Checked before every action (SEC-3). Immutable;
 * {@link AccessControl} compiles a new one when roles or controllers change.
 *
 * <p>As a {@link ReadAccess} it is the view the path layer resolves a controller's paths with: objects without Obj
 * read and search parameters without Param read are absent (R-GET.1, PATH-6).
 */
public final class Permissions implements ReadAccess {

    /** The agent itself, and tests: everything allowed. */
    public static final Permissions ALL = new Permissions("agent", List.of(), true, true, s -> List.of());
    /** A controller without any role. */
    public static final Permissions NONE = new Permissions("none", List.of(), false, false, s -> List.of());

    private final String subject;
    private final List<Role> roles;
    private final boolean all;
    private final boolean secured;
    private final Function<String, List<String>> searchMatches;
    private final boolean pathDecided;

    Permissions(String subject, List<Role> roles, boolean secured, boolean all,
            Function<String, List<String>> searchMatches) {
        this.subject = subject;
        this.roles = List.copyOf(roles);
        this.all = all || roles.stream().anyMatch(Role::grantsEverything);
        this.secured = secured;
        this.searchMatches = searchMatches;
        this.pathDecided = this.all || this.roles.stream().noneMatch(Role::hasSearchTargets);
    }

    /**
     * Whether {@code right} is granted on the element {@code objectPath} + {@code leaf} (leaf = parameter, command
     * or event name; null for the object itself). {@code objectPath} is an instance path or, for GetSupportedDM,
     * a supported path with {@code {i}}.
     */
    public boolean allows(ElementKind kind, Right right, String objectPath, String leaf) {
        if (all) {
            return true;
        }
        for (Role r : roles) {
            if ((r.rights(kind, objectPath, leaf, searchMatches) & right.bit()) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean canReadParam(ObjectNode object, ParamDef param) {
        return allows(ElementKind.PARAM, Right.READ, object.path(), param.name());
    }

    public boolean canWriteParam(ObjectNode object, ParamDef param) {
        return allows(ElementKind.PARAM, Right.WRITE, object.path(), param.name());
    }

    @Override
    public boolean canReadObject(ObjectNode object) {
        return allows(ElementKind.OBJ, Right.READ, object.path(), null);
    }

    /** Obj w on the table: may add rows to it. */
    public boolean canAddTo(Table table) {
        return allows(ElementKind.OBJ, Right.WRITE, table.path(), null);
    }

    /** InstantiatedObj r: may see the row in GetInstances. */
    public boolean canReadInstance(ObjectNode row) {
        return allows(ElementKind.INSTANTIATED_OBJ, Right.READ, row.path(), null);
    }

    /** InstantiatedObj w: may delete the row. */
    public boolean canDelete(ObjectNode row) {
        return allows(ElementKind.INSTANTIATED_OBJ, Right.WRITE, row.path(), null);
    }

    public boolean canOperate(ObjectNode object, CommandDef command) {
        return allows(ElementKind.COMMAND_EVENT, Right.EXECUTE, object.path(), command.name());
    }

    public boolean canNotifyValue(ObjectNode object, ParamDef param) {
        return allows(ElementKind.PARAM, Right.NOTIFY, object.path(), param.name());
    }

    public boolean canNotifyCreation(ObjectNode row) {
        return allows(ElementKind.OBJ, Right.NOTIFY, row.path(), null);
    }

    public boolean canNotifyDeletion(ObjectNode row) {
        return allows(ElementKind.INSTANTIATED_OBJ, Right.NOTIFY, row.path(), null);
    }

    public boolean canNotifyEvent(ObjectNode object, EventDef event) {
        return allows(ElementKind.COMMAND_EVENT, Right.NOTIFY, object.path(), event.name());
    }

    public boolean canNotifyCompletion(ObjectNode object, CommandDef command) {
        return allows(ElementKind.COMMAND_EVENT, Right.NOTIFY, object.path(), command.name());
    }

    /** Secured parameters read as "" unless the controller holds one of the SecuredRoles (GET-6). */
    public boolean canReadSecured() {
        return secured;
    }

    /** Whether no check can ever fail (lets hot paths skip per-element checks). */
    public boolean isUnrestricted() {
        return all;
    }

    /**
     * Whether every decision depends only on the element's path: no role targets a search path, whose matches change
     * with the tree's values. Only then may what was derived under these permissions be reused while the tree
     * changes elsewhere (an object's encoded Get result, say).
     */
    public boolean decidesByPathOnly() {
        return pathDecided;
    }

    /** This view for path resolution: {@link ReadAccess#ALL} when nothing can fail, so resolution skips the checks. */
    public ReadAccess readAccess() {
        return all ? ReadAccess.ALL : this;
    }

    /** The roles, for logs. */
    public List<Role> roles() {
        return roles;
    }

    @Override
    public String toString() {
        return subject + " " + roles;
    }
}
