package io.uspbridge.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sqlite.SQLiteException;

/**
 * The SQLite file behind the {@link StateStore}: opening it (WAL, {@code synchronous=NORMAL}), checking it,
 * creating or migrating its small schema, reading it whole, and writing one batch of changes as one transaction.
 * Used only from the store's writer thread.
 *
 * <p>Schema version 1:
 * <pre>
 *   meta(key, value)                                   schema_version
 *   param_value(object_path, param, value)             persisted parameter values
 *   persisted_row(path)                                rows to re-create with their instance numbers
 *   table_counter(table_path, next_instance)           next instance numbers (ARC-5)
 *   kv(namespace, key, value)                          other layers' small state
 * </pre>
 */
final class SqliteFile implements AutoCloseable {

    /** The schema this code writes; a file with a higher version was written by a newer agent. */
    static final int SCHEMA_VERSION = 1;

    /** How long a write waits for another connection's lock (an operator's sqlite3 shell) before failing. */
    static final int BUSY_TIMEOUT_MS = 1000;

    /**
     * Migrations, index {@code v} takes a file from version {@code v} to {@code v + 1}. Version 0 is a new, empty
     * file. Later versions append a step here; a step never changes once released.
     */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE param_value (object_path TEXT NOT NULL, param TEXT NOT NULL, value TEXT NOT NULL,"
                    + " PRIMARY KEY (object_path, param)) WITHOUT ROWID",
            "CREATE TABLE persisted_row (path TEXT PRIMARY KEY) WITHOUT ROWID",
            "CREATE TABLE table_counter (table_path TEXT PRIMARY KEY, next_instance INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE kv (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                    + " PRIMARY KEY (namespace, key)) WITHOUT ROWID"));

    /** Why a file could not be used. */
    enum Failure {
        /** Not a database, or a damaged one: move it aside and start afresh. */
        CORRUPT,
        /** Cannot be opened or written here (permissions, read-only medium, I/O error, locked): run in memory. */
        UNUSABLE,
        /** Written by a newer version: leave it untouched and run in memory. */
        NEWER
    }

    static final class OpenException extends Exception {
        private static final long serialVersionUID = 1L;
        final Failure failure;

        OpenException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }
    }

    /** Everything the file holds. */
    record Contents(TreeMap<String, String> values, TreeMap<String, String> rows, TreeMap<String, String> counters,
            TreeMap<String, TreeMap<String, String>> kv) {
        static Contents empty() {
            return new Contents(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        }
    }

    private final Connection conn;
    private final PreparedStatement putValue;
    private final PreparedStatement deleteValue;
    private final PreparedStatement putRow;
    private final PreparedStatement deleteRow;
    private final PreparedStatement putCounter;
    private final PreparedStatement deleteCounter;
    private final PreparedStatement putKv;
    private final PreparedStatement deleteKv;

    private SqliteFile(Connection conn) throws SQLException {
        this.conn = conn;
        putValue = conn.prepareStatement("INSERT INTO param_value (object_path, param, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (object_path, param) DO UPDATE SET value = excluded.value");
        deleteValue = conn.prepareStatement("DELETE FROM param_value WHERE object_path = ? AND param = ?");
        putRow = conn.prepareStatement("INSERT OR IGNORE INTO persisted_row (path) VALUES (?)");
        deleteRow = conn.prepareStatement("DELETE FROM persisted_row WHERE path = ?");
        putCounter = conn.prepareStatement("INSERT INTO table_counter (table_path, next_instance) VALUES (?, ?)"
                + " ON CONFLICT (table_path) DO UPDATE SET next_instance = excluded.next_instance");
        deleteCounter = conn.prepareStatement("DELETE FROM table_counter WHERE table_path = ?");
        putKv = conn.prepareStatement("INSERT INTO kv (namespace, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value");
        deleteKv = conn.prepareStatement("DELETE FROM kv WHERE namespace = ? AND key = ?");
    }

    /**
     * Opens (creating when missing) and checks the file, bringing its schema to {@link #SCHEMA_VERSION}. The
     * parent directory must exist.
     */
    static SqliteFile open(Path path) throws OpenException {
        Connection conn;
        try {
            conn = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
        } catch (SQLException e) {
            throw classify(e, "cannot open");
        }
        try {
            try (Statement s = conn.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                // The first real read: a file that is not a database fails here with SQLITE_NOTADB.
                String mode = queryString(s, "PRAGMA journal_mode = WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new OpenException(Failure.UNUSABLE, "cannot use write-ahead logging (journal_mode "
                            + mode + ")", null);
                }
                // WAL + NORMAL: a commit is an append to the WAL without fsync; a power cut may lose the last
                // commits but never corrupts the file. Fewer syncs and writes spare the SD card.
                s.execute("PRAGMA synchronous = NORMAL");
                String check = queryString(s, "PRAGMA quick_check");
                if (!"ok".equalsIgnoreCase(check)) {
                    throw new OpenException(Failure.CORRUPT, "integrity check failed: " + oneLine(check), null);
                }
            }
            migrate(conn);
            return new SqliteFile(conn);
        } catch (SQLException e) {
            closeQuietly(conn);
            throw classify(e, "cannot read");
        } catch (OpenException e) {
            closeQuietly(conn);
            throw e;
        }
    }

    private static void migrate(Connection conn) throws SQLException, OpenException {
        int version;
        try (Statement s = conn.createStatement()) {
            boolean hasMeta;
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'")) {
                hasMeta = rs.next() && rs.getInt(1) > 0;
            }
            if (hasMeta) {
                String v = queryString(s, "SELECT value FROM meta WHERE key = 'schema_version'");
                try {
                    version = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new OpenException(Failure.CORRUPT, "schema_version is '" + v + "'", null);
                }
            } else {
                boolean empty;
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                    empty = !rs.next() || rs.getInt(1) == 0;
                }
                if (!empty) {
                    // Someone else's database (a wrong path?): not ours to move aside.
                    throw new OpenException(Failure.UNUSABLE, "a database of something else, not a USP Bridge"
                            + " state store", null);
                }
                version = 0;
            }
        }
        if (version > SCHEMA_VERSION) {
            throw new OpenException(Failure.NEWER, "written by a newer USP Bridge (schema version " + version
                    + ", this one knows " + SCHEMA_VERSION + ")", null);
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        conn.setAutoCommit(false);
        try (Statement s = conn.createStatement()) {
            for (int v = version; v < SCHEMA_VERSION; v++) {
                for (String sql : MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
            }
            s.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }

    /** Reads everything. */
    Contents load() throws SQLException {
        Contents c = Contents.empty();
        try (Statement s = conn.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT object_path, param, value FROM param_value")) {
                while (rs.next()) {
                    c.values().put(rs.getString(1) + rs.getString(2), rs.getString(3));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT path FROM persisted_row")) {
                while (rs.next()) {
                    c.rows().put(rs.getString(1), "");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT table_path, next_instance FROM table_counter")) {
                while (rs.next()) {
                    c.counters().put(rs.getString(1), Long.toString(rs.getLong(2)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT namespace, key, value FROM kv")) {
                while (rs.next()) {
                    c.kv().computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return c;
    }

    /** Writes a batch of puts (non-null value) and deletes (null value) as one SQLite transaction. */
    void write(Map<StateStore.Key, String> batch) throws SQLException {
        conn.setAutoCommit(false);
        try {
            List<PreparedStatement> used = new ArrayList<>(8);
            for (Map.Entry<StateStore.Key, String> e : batch.entrySet()) {
                PreparedStatement ps = bind(e.getKey(), e.getValue());
                if (!used.contains(ps)) {
                    used.add(ps);
                }
                ps.addBatch();
            }
            for (PreparedStatement ps : used) {
                ps.executeBatch();
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                conn.rollback();
            } catch (SQLException ignored) {
                // the original failure is the one worth reporting
            }
            throw e;
        } finally {
            try {
                conn.setAutoCommit(true);
            } catch (SQLException ignored) {
                // reported by the next write
            }
        }
    }

    private PreparedStatement bind(StateStore.Key k, String value) throws SQLException {
        boolean put = value != null;
        switch (k.area()) {
            case VALUE -> {
                int dot = k.name().lastIndexOf('.');
                PreparedStatement ps = put ? putValue : deleteValue;
                ps.setString(1, k.name().substring(0, dot + 1));
                ps.setString(2, k.name().substring(dot + 1));
                if (put) {
                    ps.setString(3, value);
                }
                return ps;
            }
            case ROW -> {
                PreparedStatement ps = put ? putRow : deleteRow;
                ps.setString(1, k.name());
                return ps;
            }
            case COUNTER -> {
                PreparedStatement ps = put ? putCounter : deleteCounter;
                ps.setString(1, k.name());
                if (put) {
                    ps.setLong(2, Long.parseLong(value));
                }
                return ps;
            }
            case KV -> {
                PreparedStatement ps = put ? putKv : deleteKv;
                ps.setString(1, k.namespace());
                ps.setString(2, k.name());
                if (put) {
                    ps.setString(3, value);
                }
                return ps;
            }
            default -> throw new IllegalStateException(k.area().toString());
        }
    }

    @Override
    public void close() {
        closeQuietly(conn);
    }

    /** Whether a failure at run time means the file itself is damaged. */
    static boolean isCorruption(SQLException e) {
        int code = primaryCode(e);
        return code == 11 || code == 26; // SQLITE_CORRUPT, SQLITE_NOTADB
    }

    /** A short name for a failure, to log each kind once. */
    static String kindOf(SQLException e) {
        if (e instanceof SQLiteException se) {
            return se.getResultCode().name();
        }
        return "SQL error " + e.getErrorCode();
    }

    private static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException se) {
            return se.getResultCode().code & 0xff;
        }
        return e.getErrorCode() & 0xff;
    }

    static OpenException classify(SQLException e, String what) {
        Failure f = isCorruption(e) ? Failure.CORRUPT : Failure.UNUSABLE;
        return new OpenException(f, what + ": " + e.getMessage(), e);
    }

    /** SQLite's integrity report is many lines; a log line is one. */
    private static String oneLine(String report) {
        String s = String.valueOf(report).replaceAll("\\s*\\R\\s*", "; ");
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do with a connection we are dropping
        }
    }
}
