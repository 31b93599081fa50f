package io.uspbridge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's durable state: what a controller can change or the agent must remember across restarts (ARCHITECTURE.md,
 * Configuration and state). Four areas: persisted parameter values (by instance path), persisted rows (to re-create
 * them with their instance numbers), per-table next-instance counters (ARC-5: numbers are never reused), and a small
 * namespaced key-value area for other layers.
 *
 * <p>The store holds all of it in memory and is the only reader of the file: reads never touch the disk, and the
 * agent loop never waits on JDBC. Each change updates memory at once and marks its entry dirty; a single writer
 * thread of its own writes the dirty entries after a short delay ({@code flushDelay}), so the many changes of a burst
 * become one SQLite transaction, and an entry changed ten times in the window is written once. An SD card wears
 * with every write.
 *
 * <p>Failures never reach the caller: a missing file is created; an unreadable one (not a database, damaged) is
 * moved aside as {@code <name>.corrupt-<timestamp>} and the store starts afresh; a location that cannot be written
 * (or a file from a newer version) leaves the store running in memory, {@link StoreStatus.State#DEGRADED}. Write
 * errors at run time are logged once per kind and retried with back-off; the changes stay in memory meanwhile.
 */
public final class StateStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StateStore.class.getName());
    private static final Duration MIN_RETRY_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(60);
    private static final DateTimeFormatter ASIDE_STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    /** The four areas of the store. */
    enum Area { VALUE, ROW, COUNTER, KV }

    /**
     * One entry: for {@link Area#VALUE} the full parameter path, for {@link Area#ROW} the row's instance path, for
     * {@link Area#COUNTER} the table path, for {@link Area#KV} the key within {@code namespace}.
     */
    record Key(Area area, String namespace, String name) {
    }

    /** A copy of the model areas, for {@link ModelPersistence#restore}. */
    record ModelState(SortedMap<String, String> values, List<String> rows, SortedMap<String, Integer> counters) {
    }

    private final Path path;
    private final Duration flushDelay;
    private final ScheduledExecutorService writer;

    private final Object lock = new Object();
    // Guarded by lock: the contents, the dirty entries (null value = delete) and the flush bookkeeping.
    private final TreeMap<String, String> values = new TreeMap<>();
    private final TreeMap<String, String> rows = new TreeMap<>();
    private final TreeMap<String, String> counters = new TreeMap<>();
    private final TreeMap<String, TreeMap<String, String>> kv = new TreeMap<>();
    private LinkedHashMap<Key, String> pending = new LinkedHashMap<>();
    private boolean persistent;
    private boolean flushScheduled;
    private boolean closed;

    // Writer thread only.
    private SqliteFile file;
    private int consecutiveFailures;
    private final Set<String> loggedFailureKinds = new HashSet<>();

    private volatile StoreStatus.State state = StoreStatus.State.OK;
    private volatile String detail;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong failedCommits = new AtomicLong();

    private StateStore(Path path, Duration flushDelay) {
        this.path = path.toAbsolutePath();
        this.flushDelay = flushDelay;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "uspbridge-store");
            t.setDaemon(true);
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ex.setRemoveOnCancelPolicy(true);
        this.writer = ex;
    }

    /**
     * Opens the store at {@code path} (creating the file and its directories when missing) and reads it. Never
     * fails: when the file cannot be used the store runs in memory and says so in {@link #status()}.
     *
     * @param flushDelay how long changes are gathered before they are written as one transaction (e.g. 200 ms)
     */
    public static StateStore open(Path path, Duration flushDelay) {
        Objects.requireNonNull(path, "path");
        if (flushDelay.isNegative()) {
            throw new IllegalArgumentException("flush delay must not be negative: " + flushDelay);
        }
        StateStore s = new StateStore(path, flushDelay);
        try {
            s.writer.submit(s::openOnWriter).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the state store", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("state store failed to open", e.getCause()); // a bug: open() catches all
        }
        return s;
    }

    public Path path() {
        return path;
    }

    public StoreStatus status() {
        int entries;
        int pendingCount;
        synchronized (lock) {
            entries = values.size() + rows.size() + counters.size();
            for (Map<String, String> ns : kv.values()) {
                entries += ns.size();
            }
            pendingCount = pending.size();
        }
        return new StoreStatus(state, detail, path.toString(), commits.get(), rowsWritten.get(), failedCommits.get(),
                entries, pendingCount);
    }

    // ---- key-value area (any thread) ----------------------------------------------------------------------------

    public Optional<String> get(String namespace, String key) {
        checkName(namespace, "namespace");
        synchronized (lock) {
            Map<String, String> ns = kv.get(namespace);
            return Optional.ofNullable(ns == null ? null : ns.get(key));
        }
    }

    /** Every key and value of {@code namespace}, sorted by key (a copy). */
    public SortedMap<String, String> entries(String namespace) {
        checkName(namespace, "namespace");
        synchronized (lock) {
            TreeMap<String, String> ns = kv.get(namespace);
            return ns == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(ns));
        }
    }

    public void put(String namespace, String key, String value) {
        checkName(namespace, "namespace");
        checkName(key, "key");
        Objects.requireNonNull(value, "value");
        synchronized (lock) {
            String old = kv.computeIfAbsent(namespace, n -> new TreeMap<>()).put(key, value);
            if (!value.equals(old)) {
                dirty(new Key(Area.KV, namespace, key), value);
            }
        }
    }

    public void remove(String namespace, String key) {
        checkName(namespace, "namespace");
        synchronized (lock) {
            TreeMap<String, String> ns = kv.get(namespace);
            if (ns != null && ns.remove(key) != null) {
                dirty(new Key(Area.KV, namespace, key), null);
                if (ns.isEmpty()) {
                    kv.remove(namespace);
                }
            }
        }
    }

    /** Removes every key of {@code namespace}. */
    public void removeNamespace(String namespace) {
        checkName(namespace, "namespace");
        synchronized (lock) {
            TreeMap<String, String> ns = kv.remove(namespace);
            if (ns != null) {
                for (String key : ns.keySet()) {
                    dirty(new Key(Area.KV, namespace, key), null);
                }
            }
        }
    }

    private static void checkName(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    // ---- model areas (used by ModelPersistence, on the agent loop) ------------------------------------------------

    ModelState modelState() {
        synchronized (lock) {
            TreeMap<String, Integer> c = new TreeMap<>();
            counters.forEach((k, v) -> c.put(k, Integer.parseInt(v)));
            return new ModelState(Collections.unmodifiableSortedMap(new TreeMap<>(values)),
                    List.copyOf(rows.keySet()), Collections.unmodifiableSortedMap(c));
        }
    }

    /** Stores the value of the parameter at {@code paramPath} (e.g. {@code Device.LocalAgent.Controller.2.Enable}). */
    void putValue(String paramPath, String value) {
        synchronized (lock) {
            String old = values.put(paramPath, value);
            if (!value.equals(old)) {
                dirty(new Key(Area.VALUE, "", paramPath), value);
            }
        }
    }

    void removeValue(String paramPath) {
        synchronized (lock) {
            if (values.remove(paramPath) != null) {
                dirty(new Key(Area.VALUE, "", paramPath), null);
            }
        }
    }

    /** Records that the row at {@code rowPath} (with trailing dot) is to be re-created at start-up. */
    void putRow(String rowPath) {
        synchronized (lock) {
            if (rows.put(rowPath, "") == null) {
                dirty(new Key(Area.ROW, "", rowPath), "");
            }
        }
    }

    /** Records the next instance number of the table at {@code tablePath} (with trailing dot). */
    void putCounter(String tablePath, int next) {
        String v = Integer.toString(next);
        synchronized (lock) {
            String old = counters.put(tablePath, v);
            if (!v.equals(old)) {
                dirty(new Key(Area.COUNTER, "", tablePath), v);
            }
        }
    }

    void removeCounter(String tablePath) {
        synchronized (lock) {
            if (counters.remove(tablePath) != null) {
                dirty(new Key(Area.COUNTER, "", tablePath), null);
            }
        }
    }

    /** Forgets the row at {@code rowPath} and everything below it: values, nested rows, nested tables' counters. */
    void removeTree(String rowPath) {
        synchronized (lock) {
            removeUnder(values, Area.VALUE, rowPath);
            removeUnder(rows, Area.ROW, rowPath);
            removeUnder(counters, Area.COUNTER, rowPath);
        }
    }

    private void removeUnder(NavigableMap<String, String> map, Area area, String prefix) {
        // Every string that starts with "X.3." sorts in ["X.3.", "X.3/"): '/' follows '.'.
        String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        SortedMap<String, String> sub = map.subMap(prefix, end);
        for (String k : sub.keySet()) {
            dirty(new Key(area, "", k), null);
        }
        sub.clear();
    }

    /** Forgets everything, key-value area included ({@code FactoryReset()}); {@link #flush()} makes it durable. */
    public void wipe() {
        synchronized (lock) {
            for (String k : values.keySet()) {
                dirty(new Key(Area.VALUE, "", k), null);
            }
            for (String k : rows.keySet()) {
                dirty(new Key(Area.ROW, "", k), null);
            }
            for (String k : counters.keySet()) {
                dirty(new Key(Area.COUNTER, "", k), null);
            }
            kv.forEach((ns, m) -> m.keySet().forEach(k -> dirty(new Key(Area.KV, ns, k), null)));
            values.clear();
            rows.clear();
            counters.clear();
            kv.clear();
        }
        LOG.info("state store wiped");
    }

    /** Marks an entry for the next write; the caller holds {@link #lock} and has updated memory already. */
    private void dirty(Key key, String value) {
        if (!persistent || closed) {
            return;
        }
        pending.put(key, value);
        if (!flushScheduled) {
            flushScheduled = true;
            schedule(flushDelay);
        }
    }

    private void schedule(Duration delay) {
        try {
            writer.schedule(this::flushOnWriter, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            flushScheduled = false; // closing: close() writes what is pending
        }
    }

    // ---- writing (writer thread) --------------------------------------------------------------------------------

    /**
     * Writes what is pending now instead of at the end of the window.
     *
     * @return completes with true when everything changed so far is in the file, false when it is not (running in
     *         memory, or the write failed and will be retried)
     */
    public CompletableFuture<Boolean> flush() {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        try {
            writer.execute(() -> f.complete(flushOnWriter()));
        } catch (RejectedExecutionException e) {
            f.complete(false);
        }
        return f;
    }

    private boolean flushOnWriter() {
        Map<Key, String> batch;
        synchronized (lock) {
            flushScheduled = false;
            if (!persistent) {
                return false;
            }
            if (pending.isEmpty()) {
                return true;
            }
            batch = pending;
            pending = new LinkedHashMap<>();
        }
        try {
            file.write(batch);
        } catch (SQLException e) {
            failedCommits.incrementAndGet();
            if (SqliteFile.isCorruption(e)) {
                return recoverFromCorruption(e.getMessage());
            }
            writeFailed(batch, SqliteFile.kindOf(e), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            failedCommits.incrementAndGet();
            writeFailed(batch, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
            return false;
        }
        commits.incrementAndGet();
        rowsWritten.addAndGet(batch.size());
        if (consecutiveFailures > 0) {
            LOG.info("state store " + path + ": writes work again after " + consecutiveFailures + " failed attempts");
            consecutiveFailures = 0;
            loggedFailureKinds.clear();
            state = StoreStatus.State.OK;
            detail = null;
        }
        return true;
    }

    private void writeFailed(Map<Key, String> batch, String kind, String message) {
        consecutiveFailures++;
        if (loggedFailureKinds.add(kind)) {
            LOG.warning("state store " + path + ": write failed (" + message
                    + "); the changes are kept in memory and retried");
        }
        state = StoreStatus.State.DEGRADED;
        detail = "writes failing: " + message;
        synchronized (lock) {
            // Put the batch back under what changed since: the newer value of an entry wins.
            LinkedHashMap<Key, String> merged = new LinkedHashMap<>(batch);
            merged.putAll(pending);
            pending = merged;
            if (!flushScheduled && !closed) {
                flushScheduled = true;
                schedule(retryDelay());
            }
        }
    }

    private Duration retryDelay() {
        Duration base = flushDelay.compareTo(MIN_RETRY_DELAY) < 0 ? MIN_RETRY_DELAY : flushDelay;
        Duration d = base.multipliedBy(1L << Math.min(consecutiveFailures - 1, 16));
        return d.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : d;
    }

    /** The file went bad under us: memory holds everything, so a fresh file gets all of it. */
    private boolean recoverFromCorruption(String message) {
        file.close();
        file = null;
        Path aside;
        try {
            aside = moveAside();
        } catch (IOException e) {
            runInMemory(path + " became unreadable (" + message + ") and could not be moved aside (" + e + ")");
            return false;
        }
        LOG.warning("state store " + path + " became unreadable (" + message + "); moved it to "
                + aside.getFileName() + " and rewriting it from memory");
        Map<Key, String> all = new LinkedHashMap<>();
        try {
            file = SqliteFile.open(path);
            synchronized (lock) {
                values.forEach((k, v) -> all.put(new Key(Area.VALUE, "", k), v));
                rows.forEach((k, v) -> all.put(new Key(Area.ROW, "", k), v));
                counters.forEach((k, v) -> all.put(new Key(Area.COUNTER, "", k), v));
                kv.forEach((ns, m) -> m.forEach((k, v) -> all.put(new Key(Area.KV, ns, k), v)));
                pending.clear();
            }
            file.write(all);
        } catch (SqliteFile.OpenException | SQLException | RuntimeException e) {
            if (file != null) {
                file.close();
                file = null;
            }
            runInMemory("cannot rewrite " + path + " after it became unreadable (" + e.getMessage() + ")");
            return false;
        }
        commits.incrementAndGet();
        rowsWritten.addAndGet(all.size());
        state = StoreStatus.State.OK;
        detail = "rewritten from memory; the unreadable file was moved to " + aside;
        return true;
    }

    // ---- opening (writer thread) ---------------------------------------------------------------------------------

    private void openOnWriter() {
        SqliteFile.Contents contents;
        try {
            contents = openFile();
        } catch (RuntimeException | LinkageError e) {
            // e.g. the native SQLite library cannot be loaded on this machine
            LOG.log(Level.FINE, "state store open failed", e);
            runInMemory("SQLite is not usable here (" + e + ")");
            contents = null;
        }
        synchronized (lock) {
            if (contents != null) {
                values.putAll(contents.values());
                rows.putAll(contents.rows());
                counters.putAll(contents.counters());
                kv.putAll(contents.kv());
                persistent = true;
            }
        }
        if (contents != null) {
            LOG.info("state store " + path + " opened: " + contents.values().size() + " values, "
                    + contents.rows().size() + " rows, " + contents.counters().size() + " counters, "
                    + contents.kv().values().stream().mapToInt(Map::size).sum() + " key-value entries");
        }
    }

    /** Opens and reads the file, moving an unreadable one aside once; null means running in memory. */
    private SqliteFile.Contents openFile() {
        Path dir = path.getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException | SecurityException e) {
            runInMemory("cannot create the directory " + dir + " (" + e + ")");
            return null;
        }
        try {
            return openAndLoad();
        } catch (SqliteFile.OpenException e) {
            if (e.failure != SqliteFile.Failure.CORRUPT) {
                runInMemory(path + ": " + e.getMessage());
                return null;
            }
            Path aside;
            try {
                aside = moveAside();
            } catch (IOException io) {
                runInMemory(path + " is unreadable (" + e.getMessage() + ") and could not be moved aside (" + io + ")");
                return null;
            }
            LOG.warning("state store " + path + " is unreadable (" + e.getMessage() + "); moved it to "
                    + aside.getFileName() + " and starting with an empty store");
            detail = "started empty; the unreadable file was moved to " + aside;
            try {
                return openAndLoad();
            } catch (SqliteFile.OpenException e2) {
                runInMemory(path + ": " + e2.getMessage());
                return null;
            }
        }
    }

    private SqliteFile.Contents openAndLoad() throws SqliteFile.OpenException {
        SqliteFile f = SqliteFile.open(path);
        try {
            SqliteFile.Contents c = f.load();
            file = f;
            return c;
        } catch (SQLException e) {
            f.close();
            throw SqliteFile.classify(e, "cannot read");
        }
    }

    private Path moveAside() throws IOException {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(ASIDE_STAMP);
        Path target = path.resolveSibling(path.getFileName() + ".corrupt-" + stamp);
        for (int i = 2; Files.exists(target); i++) {
            target = path.resolveSibling(path.getFileName() + ".corrupt-" + stamp + "-" + i);
        }
        Files.move(path, target);
        // The WAL belongs to the bad file: keep it next to it (sqlite3 finds it by name); the index is rebuilt.
        Path wal = path.resolveSibling(path.getFileName() + "-wal");
        if (Files.exists(wal)) {
            Files.move(wal, target.resolveSibling(target.getFileName() + "-wal"));
        }
        Files.deleteIfExists(path.resolveSibling(path.getFileName() + "-shm"));
        return target;
    }

    private void runInMemory(String reason) {
        LOG.warning("state store unavailable: " + reason + "; running in memory, so changes will not survive a"
                + " restart");
        state = StoreStatus.State.DEGRADED;
        detail = reason + "; running in memory";
        synchronized (lock) {
            persistent = false;
            pending.clear();
        }
    }

    // ---- closing --------------------------------------------------------------------------------------------------

    /** Writes what is pending and closes the file. Changes made afterwards stay in memory only. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Future<?> last = writer.submit(() -> {
            if (!flushOnWriter()) {
                int lost;
                synchronized (lock) {
                    lost = pending.size();
                }
                if (lost > 0) {
                    LOG.warning("state store " + path + ": " + lost + " changes could not be written before closing");
                }
            }
            if (file != null) {
                file.close();
                file = null;
            }
        });
        try {
            last.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "state store " + path + ": closing did not complete", e);
        }
        writer.shutdownNow();
    }
}
