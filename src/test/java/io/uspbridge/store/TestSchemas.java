package io.uspbridge.store;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.RowLifecycle;
import io.uspbridge.model.Schema;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.Transaction;
import io.uspbridge.model.ValueType;

/** A small TR-181-shaped schema, in the version an agent was built with and in a later, changed one. */
final class TestSchemas {

    private TestSchemas() {
    }

    /** The schema of the first release. */
    static Schema v1() {
        return build(false, false);
    }

    /** The first release with a bug: creating an {@code Extra} row throws. */
    static Schema v1WithABug() {
        return build(false, true);
    }

    /**
     * The next release: {@code Controller.{i}.Note}, the static {@code LocalAgent.Legacy} and the table
     * {@code LocalAgent.Extra.{i}} are gone, and {@code PeriodicNotifInterval} was narrowed to 1..3600.
     */
    static Schema v2() {
        return build(true, false);
    }

    private static Schema build(boolean v2, boolean buggyExtra) {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        b.object("Device.").param("UpTime", ValueType.unsignedInt()).computed(n -> "42");
        SchemaBuilder.ObjectBuilder la = b.object("Device.LocalAgent.");
        la.param("Name", ValueType.string(64)).writable().defaultValue("factory-name");
        la.param("RetryMinimumWaitInterval", ValueType.unsignedInt().range(1, 65535)).writable().defaultValue("5");
        la.param("SoftwareVersion", ValueType.string()).defaultValue("1.0"); // read-only: never kept
        if (!v2) {
            la.param("Legacy", ValueType.string()).writable();
        }

        SchemaBuilder.ObjectBuilder c = b.table("Device.LocalAgent.Controller.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("EndpointID").enableParam("Enable").lifecycle(new RowLifecycle() {
                    @Override
                    public void validate(ObjectNode row, Transaction tx) {
                        // A rule of this test agent that makes a row's validity depend on another row.
                        if (row.booleanValue("RequireRole") && row.value("AssignedRole").isEmpty()) {
                            throw new ModelException(ErrorCode.INVALID_VALUE, "this controller needs a role");
                        }
                    }
                });
        c.param("EndpointID", ValueType.string()).writable();
        c.param("Enable", ValueType.bool()).writable().defaultValue("false");
        if (v2) {
            c.param("PeriodicNotifInterval", ValueType.unsignedInt().range(1, 3600)).writable().defaultValue("3600");
        } else {
            c.param("PeriodicNotifInterval", ValueType.unsignedInt().range(1, null)).writable().defaultValue("86400");
            c.param("Note", ValueType.string()).writable();
        }
        c.param("Status", ValueType.string()).defaultValue("Down"); // read-only, agent-computed state
        // Strong references to rows restored after this one: a role (sorts later), its own sub-row.
        c.param("AssignedRole", ValueType.string().list().pathRef("Device.LocalAgent.ControllerTrust.Role.", true))
                .writable();
        c.param("RequireRole", ValueType.bool()).writable().defaultValue("false");
        c.param("FirstBootParameter",
                ValueType.string().pathRef("Device.LocalAgent.Controller.{i}.BootParameter.", true)).writable();
        b.table("Device.LocalAgent.Controller.{i}.BootParameter.{i}.").access(TableAccess.ADD_DELETE).alias()
                .param("ParameterName", ValueType.string(256)).writable();
        b.object("Device.LocalAgent.Controller.{i}.E2ESession.")
                .param("SessionMode", ValueType.enumeration("Require", "Allow", "Forbid")).writable()
                .defaultValue("Allow");

        b.object("Device.LocalAgent.ControllerTrust.");
        b.table("Device.LocalAgent.ControllerTrust.Role.{i}.").access(TableAccess.ADD_DELETE)
                .param("Name", ValueType.string(64)).writable();

        SchemaBuilder.ObjectBuilder s = b.table("Device.LocalAgent.Subscription.{i}.")
                .access(TableAccess.ADD_DELETE).alias();
        // Set by the agent to the controller that created it; kept so the subscription still belongs to it.
        s.param("Recipient", ValueType.string().pathRef("Device.LocalAgent.Controller.", true)).persisted(true);
        s.param("ReferenceList", ValueType.string(256).list()).writable();
        s.param("ID", ValueType.string(64).minLength(1)).writable().generatedBy(r -> "sub-" + r.instance());
        s.nonFunctionalKey("Recipient", "ID");

        if (!v2) {
            SchemaBuilder.ObjectBuilder extra = b.table("Device.LocalAgent.Extra.{i}.").access(TableAccess.ADD_DELETE);
            extra.param("Text", ValueType.string()).writable();
            if (buggyExtra) {
                extra.lifecycle(new RowLifecycle() {
                    @Override
                    public void onCreate(ObjectNode row, Transaction tx) {
                        throw new IllegalStateException("a bug");
                    }
                });
            }
        }

        // Agent-managed: rows come and go with devices; the proxy re-creates them with its own numbers.
        b.table("Device.ProxiedDevice.{i}.").param("Name", ValueType.string(64)).writable();
        b.table("Device.ProxiedDevice.{i}.Tag.{i}.").access(TableAccess.ADD_DELETE)
                .param("Value", ValueType.string()).writable();
        // Agent-managed and not kept, but its numbers must not be reused (ARC-5).
        b.table("Device.LocalAgent.Request.{i}.").param("Status", ValueType.string());
        return b.build();
    }
}
