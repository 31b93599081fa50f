package io.uspbridge.proxy;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ModelListener;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Table;
import io.uspbridge.model.Transaction;
import io.uspbridge.proxy.spi.Adapter;
import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.AdapterSink;
import io.uspbridge.proxy.spi.AdapterStatus;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import io.uspbridge.proxy.spi.DeviceDescription;
import io.uspbridge.proxy.spi.NodeDescription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The proxy's core (journeys 2–4 of ARCHITECTURE.md): maps what the adapters report through the SPI onto
 * {@code Device.ProxiedDevice.{i}}, its {@code Node.{i}} and {@code IoTCapability.{i}} rows and the adapters' rows of
 * {@code Device.X_USPBRIDGE-IO_Adapter.{i}}, on the agent loop. The rows are agent-managed (their tables are
 * read-only, so a controller's Add/Delete gets 7019); creating and deleting them here gives the ObjectCreation and
 * ObjectDeletion notifications through the model's change feed, and a report's value change a ValueChange.
 *
 * <p>Instance numbers come from the {@link DeviceRecords} in the store: a device keeps its ProxiedDevice, Node and
 * IoTCapability numbers across restarts, leaves and re-joins, and renames (the adapter's key stays). Devices known at
 * the last run are back (offline) as soon as the agent starts, before their adapter reconnects. What controllers
 * write to the rows (Alias, Name, thresholds, Sensitivity …) is kept in the record too, since the model's own
 * persistence does not keep agent-managed rows.
 */
final class DeviceRegistry implements ModelListener {
    private static final Logger LOG = Logger.getLogger(DeviceRegistry.class.getName());
    private static final String TABLE = "ProxiedDevice";
    private static final String CAPABILITIES = "IoTCapability";
    private static final String NODES = "Node";

    final DataModel model;
    final AgentLoop loop;
    final Timers timers;
    private final DeviceRecords records;
    private final Duration writeTimeout;
    private final Map<String, AdapterRow> adapters = new LinkedHashMap<>();
    private final Map<String, ProxiedDevice> devices = new HashMap<>();
    /** The device whose row holds an object, by the device's row. */
    private final Map<ObjectNode, ProxiedDevice> byRow = new IdentityHashMap<>();
    /** Capabilities by their class object, for controllers' changes of their settings. */
    private final Map<ObjectNode, Capability> byClassObject = new IdentityHashMap<>();
    private final Set<String> warned = new HashSet<>();
    /** True while the proxy itself changes the model: its own changes are not controllers'. */
    private boolean applying;
    private boolean closed;

    DeviceRegistry(DataModel model, AgentLoop loop, Timers timers, DeviceRecords records, Duration writeTimeout) {
        this.model = model;
        this.loop = loop;
        this.timers = timers;
        this.records = records;
        this.writeTimeout = writeTimeout;
    }

    // ---- start and stop (agent loop) ----------------------------------------------------------------------------

    /**
     * Creates the adapters' rows and the rows of every device the store remembers as present (offline until its
     * adapter reports), then starts the adapters.
     */
    void start(List<Adapter> list) {
        update(tx -> {
            for (Adapter a : list) {
                AdapterRow r = new AdapterRow(a, this);
                r.create(tx, model.root(), records.adapterInstance(a.id()));
                adapters.put(a.id(), r);
            }
        });
        model.addListener(this);
        for (DeviceRecord r : new ArrayList<>(records.all())) {
            AdapterRow a = adapters.get(r.adapter);
            if (r.description != null && a != null) {
                appeared(a, r.description, null);
            }
        }
        Table table = model.root().table(TABLE);
        if (table != null && records.maxInstance() > 0) {
            table.reserveInstancesBelow(records.maxInstance() + 1);
        }
        for (AdapterRow a : adapters.values()) {
            try {
                a.adapter().start(new LoopSink(a.id()));
                LOG.info(() -> "proxy: adapter " + a.id() + " started");
            } catch (RuntimeException e) {
                LOG.warning("proxy: adapter " + a.id() + " failed to start: " + e.getMessage());
                update(tx -> a.status(tx, new AdapterStatus(false, "failed to start: " + e.getMessage(),
                        timers.now())));
            }
        }
    }

    /** Stops the adapters; what waits for a device fails; the rows stay until the model goes. */
    void stop() {
        closed = true;
        model.removeListener(this);
        for (AdapterRow a : adapters.values()) {
            try {
                a.adapter().stop();
            } catch (RuntimeException e) {
                LOG.warning("proxy: adapter " + a.id() + " failed to stop cleanly: " + e.getMessage());
            }
        }
        AdapterException stopping = new AdapterException(AdapterException.Reason.DISCONNECTED, "the agent is stopping");
        devices.values().forEach(d -> d.close(stopping));
    }

    // ---- the adapters' reports, on the loop ---------------------------------------------------------------------

    /** The sink an adapter reports through: every call is posted to the agent loop, in order. */
    private final class LoopSink implements AdapterSink {
        private final String adapterId;

        LoopSink(String adapterId) {
            this.adapterId = adapterId;
        }

        private void post(Runnable r) {
            loop.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warning("proxy: a report of adapter " + adapterId + " could not be applied: " + e);
                }
            });
        }

        @Override
        public void deviceAppeared(DeviceDescription device) {
            post(() -> appeared(adapters.get(adapterId), device, timers.now()));
        }

        @Override
        public void deviceRemoved(String deviceKey) {
            post(() -> removed(adapterId, deviceKey));
        }

        @Override
        public void valueChanged(String deviceKey, String nodeKey, String capabilityKey, CapabilityValue value,
                Instant at) {
            post(() -> reported(deviceKey, nodeKey, capabilityKey, value, at));
        }

        @Override
        public void availabilityChanged(String deviceKey, boolean online, Instant at) {
            post(() -> availability(deviceKey, online, at));
        }

        @Override
        public void statusChanged(AdapterStatus status) {
            post(() -> {
                AdapterRow a = adapters.get(adapterId);
                LOG.info(() -> "proxy: adapter " + adapterId + (status.connected() ? " connected" : " disconnected")
                        + (status.lastError().isEmpty() ? "" : ": " + status.lastError()));
                update(tx -> a.status(tx, status));
            });
        }

        @Override
        public void inventoryComplete(Set<String> deviceKeys) {
            Set<String> keys = Set.copyOf(deviceKeys);
            post(() -> {
                for (DeviceRecord r : new ArrayList<>(records.all())) {
                    if (adapterId.equals(r.adapter) && r.description != null && !keys.contains(r.key)) {
                        LOG.info(() -> "proxy: device " + r.key + " is no longer known to " + adapterId);
                        removed(adapterId, r.key);
                    }
                }
            });
        }
    }

    /** A device appeared or was re-described; {@code at} is null when restored from the store. */
    private void appeared(AdapterRow adapter, DeviceDescription d, Instant at) {
        DeviceRecord record = records.get(d.key());
        if (record == null) {
            Table t = model.root().table(TABLE);
            record = records.create(d.key(), adapter.id(), t.nextInstance());
        } else if (!adapter.id().equals(record.adapter)) {
            ProxiedDevice old = devices.get(d.key());
            if (old != null) {
                removed(record.adapter, d.key());
            }
            record.adapter = adapter.id();
        }
        DeviceRecord rec = record;
        boolean renamed = rec.adapterName != null && !rec.adapterName.equals(d.name());
        rec.description = d;
        update(tx -> {
            ProxiedDevice device = devices.get(d.key());
            boolean created = device == null;
            if (created) {
                ObjectNode row = tx.addRow(model.root().table(TABLE), rec.instance);
                device = new ProxiedDevice(this, d.key(), adapter, rec, row);
                devices.put(d.key(), device);
                byRow.put(row, device);
                if (at != null) {
                    LOG.info(() -> "proxy: device " + d.key() + " (" + d.name() + ") is " + row.path());
                }
            }
            describe(tx, device, d, created, renamed);
            if (at != null) {
                // A fresh description is the adapter's knowledge now; a restored one says nothing about reachability.
                online(tx, device, d.online(), at);
            } else if (created) {
                tx.set(device.row, "Online", "false");
            }
            if (created) {
                restoreControllerValues(tx, device);
            }
            adapter.deviceCount(tx, count(adapter));
        });
        rec.adapterName = d.name();
        records.save(rec);
    }

    private void describe(Transaction tx, ProxiedDevice device, DeviceDescription d, boolean created,
            boolean renamed) {
        ObjectNode row = device.row;
        String label = d.key();
        set(tx, row, "Type", d.type(), label);
        set(tx, row, "Description", Texts.cut(d.description(), 256), label);
        if (created || renamed || !device.hasControllerValue(row, "Name")) {
            if (renamed) {
                device.record.values.remove(device.relative(row, "Name"));
            }
            set(tx, row, "Name", Texts.cut(d.name(), 64), label);
        }
        set(tx, row, "ProxyProtocol", device.adapter.adapter().proxyProtocol(), label);
        set(tx, row, "InterfaceReference", device.adapter.row().referencePath(), label);
        set(tx, row, ProxySchema.DEVICE_KEY, Texts.cut(d.key(), 256), label);
        // The mounted DeviceInfo. (optional where mounted, PRX-2) only for a device that says who made it.
        boolean identified = !(d.manufacturer().isEmpty() && d.model().isEmpty() && d.firmware().isEmpty()
                && d.serialNumber().isEmpty());
        ObjectNode info = identified ? tx.ensureChild(row, "DeviceInfo") : row.child("DeviceInfo");
        if (info != null) {
            set(tx, info, "Manufacturer", Texts.cut(d.manufacturer(), 64), label);
            set(tx, info, "ModelName", Texts.cut(d.model(), 64), label);
            set(tx, info, "SoftwareVersion", Texts.cut(d.firmware(), 64), label);
            set(tx, info, "SerialNumber", Texts.cut(d.serialNumber(), 64), label);
            set(tx, info, "Description", Texts.cut(d.description(), 256), label);
        }

        // Capabilities of the device itself, then each node with its own.
        capabilities(tx, device, row, null, d.capabilities());
        Set<String> nodeKeys = new HashSet<>();
        Table nodeTable = row.table(NODES);
        for (NodeDescription n : d.nodes()) {
            nodeKeys.add(n.key());
            ObjectNode node = device.nodes.get(n.key());
            if (node == null) {
                node = tx.addRow(nodeTable, device.record.nodeInstance(n.key()));
                device.nodes.put(n.key(), node);
            }
            set(tx, node, "Type", n.type(), label + "/" + n.key());
            set(tx, node, "Description", Texts.cut(n.description().isEmpty() ? n.name() : n.description(), 256),
                    label + "/" + n.key());
            capabilities(tx, device, node, n.key(), n.capabilities());
        }
        for (var it = device.nodes.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!nodeKeys.contains(e.getKey())) {
                dropCapabilities(device, e.getKey());
                tx.delete(e.getValue());
                it.remove();
            }
        }
    }

    /** The capability rows of one table (the device's, or one node's) as {@code list} describes them. */
    private void capabilities(Transaction tx, ProxiedDevice device, ObjectNode parent, String nodeKey,
            List<CapabilityDescription> list) {
        Table table = parent.table(CAPABILITIES);
        String recordTable = nodeKey == null ? DeviceRecord.DEVICE_TABLE : nodeKey;
        Set<String> present = new HashSet<>();
        for (CapabilityDescription c : list) {
            if (!present.add(c.key())) {
                warnOnce(device.key + "/" + recordTable + "/" + c.key() + "/dup", "proxy: " + device.key
                        + " describes capability " + c.key() + " twice; the second is ignored");
                continue;
            }
            Capability cap = device.capability(nodeKey, c.key());
            String uniqueName = null;
            if (cap == null) {
                ObjectNode row = tx.addRow(table, device.record.capabilityInstance(recordTable, c.key()));
                cap = new Capability(device, nodeKey, c.key(), row);
                device.capabilities.put(ProxiedDevice.capabilityId(nodeKey, c.key()), cap);
                uniqueName = uniqueName(table, row, c.name().isEmpty() ? c.key() : c.name());
            }
            cap.describe(tx, c, uniqueName);
            if (c.initial() != null) {
                cap.report(tx, c.initial(), timers.now());
            }
        }
        for (var it = device.capabilities.entrySet().iterator(); it.hasNext();) {
            Capability cap = it.next().getValue();
            if (java.util.Objects.equals(cap.nodeKey, nodeKey) && !present.contains(cap.key)) {
                cap.close();
                byClassObject.remove(cap.classObject());
                tx.delete(cap.row);
                it.remove();
            }
        }
    }

    private void dropCapabilities(ProxiedDevice device, String nodeKey) {
        device.capabilities.values().removeIf(cap -> {
            if (java.util.Objects.equals(cap.nodeKey, nodeKey)) {
                cap.close();
                byClassObject.remove(cap.classObject());
                return true;
            }
            return false;
        });
    }

    /** A Name unique in the capability table (a non-functional key, R-KEY.1): the given one, or with a suffix. */
    private static String uniqueName(Table table, ObjectNode self, String wanted) {
        String base = Texts.cut(wanted, 60);
        Set<String> taken = new HashSet<>();
        for (ObjectNode r : table.rows()) {
            if (r != self) {
                taken.add(r.value("Name"));
            }
        }
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    /** Puts back what controllers wrote to this device's rows (by path relative to its row). */
    private void restoreControllerValues(Transaction tx, ProxiedDevice device) {
        for (var it = device.record.values.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            try {
                ObjectNode holder = objectAt(device.row, e.getKey());
                String param = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                tx.set(holder, param, e.getValue());
                Capability cap = byClassObject.get(holder);
                if (cap != null) {
                    cap.settingChanged();
                }
            } catch (ModelException ex) {
                LOG.info(() -> "proxy: the kept value " + device.row.path() + e.getKey() + " no longer applies: "
                        + ex.getMessage());
                it.remove();
            }
        }
    }

    /** The object holding the parameter at {@code relative} (e.g. {@code IoTCapability.2.LevelSensor.LowLevelThreshold}). */
    private static ObjectNode objectAt(ObjectNode base, String relative) {
        String[] parts = relative.split("\\.");
        ObjectNode n = base;
        for (int i = 0; i < parts.length - 1 && n != null; i++) {
            if (i + 1 < parts.length - 1 && parts[i + 1].matches("[0-9]+")) {
                Table t = n.table(parts[i]);
                n = t == null ? null : t.row(Integer.parseInt(parts[i + 1]));
                i++;
            } else {
                n = n.child(parts[i]);
            }
        }
        if (n == null) {
            throw new ModelException(ErrorCode.INVALID_PATH, "no object at " + base.path() + relative);
        }
        return n;
    }

    private void removed(String adapterId, String key) {
        DeviceRecord rec = records.get(key);
        ProxiedDevice device = devices.remove(key);
        if (device != null) {
            byRow.remove(device.row);
            device.capabilities.values().forEach(c -> byClassObject.remove(c.classObject()));
            device.close(new AdapterException(AdapterException.Reason.UNKNOWN_DEVICE, "the device left"));
            AdapterRow a = adapters.get(adapterId);
            update(tx -> {
                tx.delete(device.row);
                if (a != null) {
                    a.deviceCount(tx, count(a));
                }
            });
            LOG.info(() -> "proxy: device " + key + " left; " + device.row.path() + " removed");
        }
        if (rec != null && rec.description != null) {
            rec.description = null;     // its numbers stay reserved for a re-join (ARC-5)
            records.save(rec);
        }
    }

    private void reported(String key, String nodeKey, String capabilityKey, CapabilityValue value, Instant at) {
        ProxiedDevice d = devices.get(key);
        if (d == null) {
            return;     // a report racing a removal, or for a device the adapter could not describe
        }
        Capability c = d.capability(nodeKey, capabilityKey);
        if (c == null) {
            warnOnce(key + "/" + nodeKey + "/" + capabilityKey + "/unknown", "proxy: " + key + " reported "
                    + (nodeKey == null ? "" : nodeKey + "/") + capabilityKey + ", which it did not describe; ignored");
            return;
        }
        update(tx -> {
            c.report(tx, value, at);
            tx.set(d.row, "LastTimeContacted", Texts.dateTime(at));
        });
    }

    private void availability(String key, boolean online, Instant at) {
        ProxiedDevice d = devices.get(key);
        if (d != null) {
            update(tx -> online(tx, d, online, at));
        }
    }

    private static void online(Transaction tx, ProxiedDevice d, boolean online, Instant at) {
        tx.set(d.row, "Online", Boolean.toString(online));
        if (online) {
            tx.set(d.row, "LastTimeContacted", Texts.dateTime(at));
        }
    }

    private int count(AdapterRow a) {
        int n = 0;
        for (ProxiedDevice d : devices.values()) {
            if (d.adapter == a) {
                n++;
            }
        }
        return n;
    }

    // ---- controllers' changes -----------------------------------------------------------------------------------

    /**
     * Remembers what a controller wrote to a device's rows (the model keeps no agent-managed rows), and lets the
     * capability react to a changed setting (thresholds, BinarySensor timing).
     */
    @Override
    public void onChanges(List<ModelChange> changes) {
        if (applying) {
            return;
        }
        Set<DeviceRecord> changed = new HashSet<>();
        for (ModelChange c : changes) {
            if (!(c instanceof ModelChange.ValueChanged v) || !v.param().access().isWritable()
                    || v.param().storage() != ParamDef.Storage.STORED) {
                continue;
            }
            ProxiedDevice d = deviceOf(v.object());
            if (d == null) {
                continue;
            }
            d.record.values.put(d.relative(v.object(), v.param().name()), v.newValue());
            changed.add(d.record);
            Capability cap = byClassObject.get(v.object());
            if (cap != null) {
                cap.settingChanged();
            }
        }
        changed.forEach(records::save);
    }

    private ProxiedDevice deviceOf(ObjectNode node) {
        for (ObjectNode n = node; n != null; n = n.parent()) {
            ProxiedDevice d = byRow.get(n);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    // ---- what the rows and owners use ---------------------------------------------------------------------------

    /** Runs {@code work} as the proxy in the open transaction or a new one. */
    void update(Consumer<Transaction> work) {
        boolean was = applying;
        applying = true;
        try {
            model.update(work);
        } finally {
            applying = was;
        }
    }

    /** Sets a value an adapter described; one the model refuses is logged once and skipped, never fatal. */
    void set(Transaction tx, ObjectNode node, String param, String value, String label) {
        try {
            tx.set(node, param, value == null ? "" : value);
        } catch (ModelException e) {
            warnOnce(label + "/" + node.def().path() + param, "proxy: " + label + ": " + node.path() + param + " cannot be '"
                    + Texts.cut(value, 64) + "' (" + e.getMessage() + "); left as it was");
        }
    }

    void warnOnce(String key, String message) {
        if (warned.size() < 10_000 && warned.add(key)) {
            LOG.warning(message);
        }
    }

    void capabilityCreated(Capability c) {
        byClassObject.put(c.classObject(), c);
    }

    /**
     * Follows a device write or native command: completes on the agent loop when the adapter's stage does, fails
     * with TIMEOUT after the proxy's write timeout, and with UNKNOWN_DEVICE when the device leaves first.
     */
    CompletableFuture<Void> track(ProxiedDevice d, CompletionStage<Void> stage) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        d.pending.add(result);
        Future<?> timeout = timers.after(writeTimeout, () -> result.completeExceptionally(new AdapterException(
                AdapterException.Reason.TIMEOUT, "the device did not acknowledge within " + writeTimeout.toMillis()
                        + " ms")));
        result.whenComplete((v, e) -> {
            timeout.cancel(false);
            d.pending.remove(result);
        });
        stage.whenComplete((v, e) -> loop.execute(() -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(null);
            }
        }));
        return result;
    }

    /** Follows an adapter-level command: its outcome is handed back on the agent loop. */
    <T> CompletableFuture<T> trackCommand(CompletionStage<T> stage) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((v, e) -> loop.execute(() -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        }));
        return result;
    }

    /** An adapter's output value: the row of the device it names when it is one of the adapter's, else itself. */
    String asReference(String value, AdapterRow adapter) {
        ProxiedDevice d = value == null ? null : devices.get(value);
        return d != null && d.adapter == adapter && d.row.isLive() ? d.row.referencePath() : value;
    }

    /**
     * The adapter's key of the device a controller named: a reference to one of this adapter's ProxiedDevice rows
     * ({@code Device.ProxiedDevice.3}, with or without the final dot); any other text goes to the adapter as it is
     * (an IEEE address or a name of a device it knows but could not represent).
     */
    String deviceKeyOf(String value, AdapterRow adapter) {
        if (!value.startsWith("Device." + TABLE + ".")) {
            return value;
        }
        ObjectNode row = model.find(value.endsWith(".") ? value : value + ".");
        ProxiedDevice d = row == null ? null : byRow.get(row);
        if (d == null) {
            throw new ModelException(ErrorCode.INVALID_VALUE, value + " is not a proxied device");
        }
        if (d.adapter != adapter) {
            throw new ModelException(ErrorCode.INVALID_VALUE, value + " is a device of adapter " + d.adapter.id());
        }
        return d.key;
    }

    // ---- for tests and diagnostics ------------------------------------------------------------------------------

    /** The row of a device by its adapter key, or null. */
    ObjectNode rowOf(String deviceKey) {
        ProxiedDevice d = devices.get(deviceKey);
        return d == null ? null : d.row;
    }
}
