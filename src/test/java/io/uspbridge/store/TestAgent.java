package io.uspbridge.store;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Schema;
import io.uspbridge.model.Table;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** An agent in miniature: a data model owned by an agent loop, persisted through a store, started like the real one. */
final class TestAgent implements AutoCloseable {
    final AgentLoop loop = new AgentLoop("test-agent-loop");
    final DataModel model;
    final StateStore store;
    final ModelPersistence persistence;
    final ModelPersistence.RestoreReport restored;

    TestAgent(Path file, Schema schema, Duration flushDelay) {
        store = StateStore.open(file, flushDelay);
        model = new DataModel(schema);
        persistence = new ModelPersistence(store);
        restored = call(() -> {
            model.bindToCurrentThread();
            ModelPersistence.RestoreReport r = persistence.restore(model);
            persistence.attach(model);
            return r;
        });
    }

    static TestAgent start(Path file, Schema schema) {
        return new TestAgent(file, schema, Duration.ofMillis(200));
    }

    <T> T call(Callable<T> work) {
        try {
            return loop.submit(work).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("agent loop task failed", e);
        }
    }

    void run(Consumer<DataModel> work) {
        call(() -> {
            work.accept(model);
            return null;
        });
    }

    ObjectNode addRow(String parentPath, String table, Map<String, String> values) {
        return call(() -> model.addRow(model.find(parentPath), table, values));
    }

    void set(String paramPath, String value) {
        run(m -> {
            int dot = paramPath.lastIndexOf('.');
            m.set(m.find(paramPath.substring(0, dot + 1)), paramPath.substring(dot + 1), value);
        });
    }

    void delete(String rowPath) {
        run(m -> m.delete(m.find(rowPath)));
    }

    String value(String paramPath) {
        return call(() -> model.value(paramPath));
    }

    int nextInstance(String tablePath) {
        return call(() -> model.findTable(tablePath).nextInstance());
    }

    /** Every object path and every stored or bound value under {@code prefix}, sorted. */
    Map<String, String> dump(String prefix) {
        return call(() -> {
            TreeMap<String, String> out = new TreeMap<>();
            dump(model.root(), prefix, out);
            return out;
        });
    }

    private static void dump(ObjectNode n, String prefix, Map<String, String> out) {
        if (n.path().startsWith(prefix)) {
            out.put(n.path(), "<object>");
            for (ParamDef p : n.def().params()) {
                if (p.storage() != ParamDef.Storage.COMPUTED) {
                    out.put(n.path() + p.name(), n.value(p));
                }
            }
        }
        for (Object slot : n.childSlots()) {
            if (slot instanceof ObjectNode c) {
                dump(c, prefix, out);
            } else if (slot instanceof Table t) {
                for (ObjectNode r : t.rows()) {
                    dump(r, prefix, out);
                }
            }
        }
    }

    @Override
    public void close() {
        call(() -> null);   // let queued work finish
        store.close();
        loop.close();
    }
}
