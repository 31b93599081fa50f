package io.uspbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    /** Long enough that nothing is written unless a test asks for it. */
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("uspbridge.db");
    }

    @Test
    void theKeyValueAreaKeepsNamespacesApartAndSurvivesARestart() {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            s.put("proxy.devices", "zigbee:0x00158d0001a2b3c4", "1");
            s.put("proxy.devices", "zwave:5", "2");
            s.put("mqtt", "assigned-client-id", "auto-8F3A");
            s.put("agent", "seeded.Device.LocalAgent.MTP.1", "true");
            s.remove("agent", "seeded.Device.LocalAgent.MTP.1");
            assertThat(s.get("mqtt", "zwave:5")).isEmpty();
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.entries("proxy.devices"))
                    .containsExactly(Map.entry("zigbee:0x00158d0001a2b3c4", "1"), Map.entry("zwave:5", "2"));
            assertThat(s.get("mqtt", "assigned-client-id")).hasValue("auto-8F3A");
            assertThat(s.entries("agent")).isEmpty();
            s.removeNamespace("proxy.devices");
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.entries("proxy.devices")).isEmpty();
            assertThat(s.status().entries()).isEqualTo(1);
        }
    }

    @Test
    void theFileIsAVersionedWalDatabase() throws Exception {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            s.put("a", "b", "c");
            assertThat(s.flush().join()).isTrue();
            try (Connection c = connect(); Statement st = c.createStatement()) {
                assertThat(string(st, "PRAGMA journal_mode")).isEqualTo("wal");
                assertThat(string(st, "SELECT value FROM meta WHERE key = 'schema_version'")).isEqualTo("1");
                assertThat(string(st, "SELECT value FROM kv WHERE namespace = 'a' AND key = 'b'")).isEqualTo("c");
            }
        }
    }

    @Test
    void writingAValueItAlreadyHasWritesNothing() {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            s.put("ns", "k", "v");
            s.putValue("Device.LocalAgent.Name", "x");
            s.flush().join();
            long written = s.status().rowsWritten();
            s.put("ns", "k", "v");
            s.putValue("Device.LocalAgent.Name", "x");
            s.putRow("Device.LocalAgent.Controller.1.");
            s.putRow("Device.LocalAgent.Controller.1.");
            assertThat(s.status().pending()).isEqualTo(1);
            s.flush().join();
            assertThat(s.status().rowsWritten()).isEqualTo(written + 1);
        }
    }

    @Test
    void changesReachTheFileAfterTheFlushDelayWithoutBeingAskedTo() throws Exception {
        try (StateStore s = StateStore.open(file(), Duration.ofMillis(50))) {
            for (int i = 0; i < 100; i++) {
                s.put("burst", "k" + (i % 10), "v" + i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> s.status().pending() == 0 && s.status().commits() > 0);
            try (Connection c = connect(); Statement st = c.createStatement()) {
                assertThat(string(st, "SELECT count(*) FROM kv")).isEqualTo("10");
                assertThat(string(st, "SELECT value FROM kv WHERE key = 'k9'")).isEqualTo("v99");
            }
            assertThat(s.status().commits()).as("a burst is a handful of transactions").isLessThan(100);
        }
    }

    @Test
    void closingWritesWhatIsPending() {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            s.putValue("Device.LocalAgent.Name", "written on close");
            s.putRow("Device.LocalAgent.Controller.7.");
            s.putCounter("Device.LocalAgent.Controller.", 8);
            assertThat(s.status().commits()).isZero();
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            StateStore.ModelState m = s.modelState();
            assertThat(m.values()).containsExactly(Map.entry("Device.LocalAgent.Name", "written on close"));
            assertThat(m.rows()).containsExactly("Device.LocalAgent.Controller.7.");
            assertThat(m.counters()).containsExactly(Map.entry("Device.LocalAgent.Controller.", 8));
        }
    }

    @Test
    void removingARowForgetsEverythingBelowItAndNothingBeside() {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            s.putRow("Device.X.1.");
            s.putValue("Device.X.1.A", "1");
            s.putValue("Device.X.1.Sub.B", "2");
            s.putRow("Device.X.1.Y.3.");
            s.putValue("Device.X.1.Y.3.C", "3");
            s.putCounter("Device.X.1.Y.", 4);
            s.putRow("Device.X.10.");
            s.putValue("Device.X.10.A", "10");
            s.putCounter("Device.X.", 11);
            s.flush().join();
            s.removeTree("Device.X.1.");
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            StateStore.ModelState m = s.modelState();
            assertThat(m.rows()).containsExactly("Device.X.10.");
            assertThat(m.values()).containsExactly(Map.entry("Device.X.10.A", "10"));
            assertThat(m.counters()).containsExactly(Map.entry("Device.X.", 11));
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsMovedAsideAndTheStoreStartsEmpty() throws Exception {
        byte[] garbage = new byte[8192];
        new Random(7).nextBytes(garbage);
        Files.write(file(), garbage);
        try (StateStore s = StateStore.open(file(), NEVER)) {
            StoreStatus st = s.status();
            assertThat(st.state()).isEqualTo(StoreStatus.State.OK);
            assertThat(st.detail()).contains("moved to");
            s.put("ns", "after", "recovery");
        }
        List<Path> aside = asideFiles();
        assertThat(aside).hasSize(1);
        assertThat(Files.readAllBytes(aside.get(0))).as("kept for inspection, unchanged").isEqualTo(garbage);
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.get("ns", "after")).hasValue("recovery");
            assertThat(s.status().detail()).isNull();
        }
    }

    @Test
    void aDamagedDatabaseIsMovedAsideAndTheStoreStartsEmpty() throws Exception {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            for (int i = 0; i < 2000; i++) {
                s.put("bulk", "key-" + i, "a value long enough to fill a few pages of the file " + i);
            }
        }
        long size = Files.size(file());
        assertThat(size).isGreaterThan(5 * 4096);
        try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
            byte[] noise = new byte[(int) size - 4096];       // keep the header page: it still looks like SQLite
            new Random(11).nextBytes(noise);
            raf.seek(4096);
            raf.write(noise);
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.status().state()).isEqualTo(StoreStatus.State.OK);
            assertThat(s.entries("bulk")).isEmpty();
            s.put("ns", "k", "v");
        }
        assertThat(asideFiles()).hasSize(1);
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.get("ns", "k")).hasValue("v");
        }
    }

    @Test
    void aLocationThatCannotBeCreatedRunsInMemory() throws Exception {
        Path blocker = dir.resolve("a-file");
        Files.writeString(blocker, "not a directory");
        try (StateStore s = StateStore.open(blocker.resolve("sub/uspbridge.db"), Duration.ZERO)) {
            StoreStatus st = s.status();
            assertThat(st.state()).isEqualTo(StoreStatus.State.DEGRADED);
            assertThat(st.detail()).contains("cannot create the directory").contains("running in memory");
            s.put("ns", "k", "v");
            assertThat(s.get("ns", "k")).hasValue("v");
            assertThat(s.flush().join()).isFalse();
            assertThat(s.status().commits()).isZero();
        }
        assertThat(Files.readString(blocker)).isEqualTo("not a directory");
    }

    @Test
    void aPathThatIsADirectoryRunsInMemoryAndIsNotMoved() throws Exception {
        Files.createDirectories(file());
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.status().state()).isEqualTo(StoreStatus.State.DEGRADED);
        }
        assertThat(file()).isDirectory();
        assertThat(asideFiles()).isEmpty();
    }

    @Test
    void aFileOfANewerVersionIsLeftUntouched() throws Exception {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            s.put("ns", "k", "v");
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.status().state()).isEqualTo(StoreStatus.State.DEGRADED);
            assertThat(s.status().detail()).contains("newer");
            assertThat(s.get("ns", "k")).isEmpty();
            s.put("ns", "k", "changed in memory only");
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(string(st, "SELECT value FROM kv WHERE key = 'k'")).isEqualTo("v");
        }
        assertThat(asideFiles()).isEmpty();
    }

    @Test
    void someOtherDatabaseIsLeftUntouched() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)");
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.status().state()).isEqualTo(StoreStatus.State.DEGRADED);
            assertThat(s.status().detail()).contains("not a USP Bridge state store");
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(string(st, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'")).isEqualTo("0");
        }
    }

    @Test
    void aFailedWriteIsKeptAndRetriedAndNeverThrown() throws Exception {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            s.put("ns", "first", "1");
            s.flush().join();
            try (Connection other = connect(); Statement st = other.createStatement()) {
                st.execute("BEGIN IMMEDIATE");                // another writer holds the lock (an operator's shell)
                s.put("ns", "second", "2");
                s.putValue("Device.LocalAgent.Name", "n");
                assertThat(s.flush().join()).isFalse();
                StoreStatus st1 = s.status();
                assertThat(st1.state()).isEqualTo(StoreStatus.State.DEGRADED);
                assertThat(st1.failedCommits()).isEqualTo(1);
                assertThat(st1.pending()).isEqualTo(2);
                s.put("ns", "second", "2b");                  // newer than the failed batch: must win
                st.execute("ROLLBACK");
            }
            assertThat(s.flush().join()).isTrue();
            assertThat(s.status().state()).isEqualTo(StoreStatus.State.OK);
            assertThat(s.status().pending()).isZero();
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.get("ns", "second")).hasValue("2b");
            assertThat(s.modelState().values()).containsEntry("Device.LocalAgent.Name", "n");
        }
    }

    @Test
    void aFileDamagedWhileOpenIsMovedAsideAndRewrittenFromMemory() throws Exception {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            for (int i = 0; i < 500; i++) {
                s.put("bulk", "key-" + i, "a value long enough to fill a few pages of the file " + i);
            }
            s.putValue("Device.LocalAgent.Name", "kept");
            assertThat(s.flush().join()).isTrue();
            try (Connection other = connect(); Statement st = other.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");  // everything into the main file
            }
            long size = Files.size(file());
            try (RandomAccessFile raf = new RandomAccessFile(file().toFile(), "rw")) {
                byte[] noise = new byte[(int) size - 4096];
                new Random(5).nextBytes(noise);
                raf.seek(4096);
                raf.write(noise);                               // the SD card lost the pages under us
            }
            s.put("bulk", "key-0", "changed after the damage");
            assertThat(s.flush().join()).isTrue();
            assertThat(s.status().state()).isEqualTo(StoreStatus.State.OK);
            assertThat(s.status().detail()).contains("rewritten from memory");
        }
        assertThat(asideFiles()).hasSize(1);
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.entries("bulk")).hasSize(500).containsEntry("key-0", "changed after the damage");
            assertThat(s.modelState().values()).containsEntry("Device.LocalAgent.Name", "kept");
        }
    }

    @Test
    void wipingForgetsAllAreas() {
        try (StateStore s = StateStore.open(file(), NEVER)) {
            s.put("ns", "k", "v");
            s.putRow("Device.X.1.");
            s.putValue("Device.X.1.A", "a");
            s.putCounter("Device.X.", 2);
            s.flush().join();
            s.wipe();
            assertThat(s.status().entries()).isZero();
        }
        try (StateStore s = StateStore.open(file(), NEVER)) {
            assertThat(s.status().entries()).isZero();
        }
    }

    private List<Path> asideFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("uspbridge.db.corrupt-")
                    && !p.getFileName().toString().endsWith("-wal")).toList();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file());
    }

    private static String string(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
