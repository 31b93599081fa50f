package io.uspbridge.net;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.eclipse.paho.mqttv5.client.logging.LoggerFactory;

/**
 * Paho's log output, to java.util.logging like Paho's own {@code JSR47Logger}, with the same logger names, levels and
 * message catalog, but cheap to create. Paho makes a logger for every token, that is for every PUBLISH and PUBACK it
 * sends; its own one looked the java.util.logging logger up by name each time (the log manager walks its tree of
 * names), about a quarter of the CPU time of the thread that publishes (docs/PERFORMANCE.md, issue 4). Here the
 * java.util.logging loggers are kept per name, and a message is only looked up and formatted when its level is
 * enabled.
 */
public final class PahoJulLogger implements org.eclipse.paho.mqttv5.client.logging.Logger {
    private static final ConcurrentHashMap<String, java.util.logging.Logger> LOGGERS = new ConcurrentHashMap<>();
    private static final Level[] LEVELS = {null, Level.SEVERE, Level.WARNING, Level.INFO, Level.CONFIG, Level.FINE,
        Level.FINER, Level.FINEST};

    private ResourceBundle catalog;
    private java.util.logging.Logger jul;
    private String resourceName;

    /** Paho creates its loggers by class name, with this constructor. */
    public PahoJulLogger() {
    }

    /**
     * Makes Paho log through this class from now on, in this JVM. Does nothing when Paho cannot load this class by
     * name (a class loader that sees Paho but not this application): it keeps its own logger then.
     */
    public static void install() {
        try {
            Class<?> seen = Class.forName(PahoJulLogger.class.getName(), false, LoggerFactory.class.getClassLoader());
            if (seen == PahoJulLogger.class) {
                LoggerFactory.setLogger(PahoJulLogger.class.getName());
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // Paho keeps JSR47Logger.
        }
    }

    @Override
    public void initialise(ResourceBundle messageCatalog, String loggerID, String resourceName) {
        this.catalog = messageCatalog;
        this.jul = LOGGERS.computeIfAbsent(loggerID, java.util.logging.Logger::getLogger);
        this.resourceName = resourceName;
    }

    @Override
    public void setResourceName(String logContext) {
        this.resourceName = logContext;
    }

    @Override
    public boolean isLoggable(int level) {
        return jul.isLoggable(level(level));
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg) {
        log(SEVERE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg) {
        log(WARNING, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg) {
        log(INFO, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg) {
        log(CONFIG, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg) {
        log(FINE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINE, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg) {
        log(FINER, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINER, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINER, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg) {
        log(FINEST, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts,
            Throwable ex) {
        log(level, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts,
            Throwable thrown) {
        Level l = level(level);
        if (!jul.isLoggable(l)) {
            return;
        }
        String text = formatMessage(message(msg), inserts);
        LogRecord r = new LogRecord(l, resourceName == null ? text : resourceName + ": " + text);
        r.setLoggerName(jul.getName());
        r.setSourceClassName(sourceClass);
        r.setSourceMethodName(sourceMethod);
        r.setThrown(thrown);
        jul.log(r);
    }

    @Override
    public String formatMessage(String msg, Object[] inserts) {
        if (inserts == null || inserts.length == 0) {
            return msg;
        }
        try {
            return MessageFormat.format(msg, inserts);
        } catch (IllegalArgumentException e) {
            return msg;
        }
    }

    @Override
    public void dumpTrace() {
        // Paho's memory trace is not kept.
    }

    /** Paho's messages are keys of its catalog ("200"); anything else is logged as it is. */
    private String message(String key) {
        if (catalog == null || key == null) {
            return key;
        }
        try {
            return catalog.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    private static Level level(int level) {
        return level >= 1 && level < LEVELS.length ? LEVELS[level] : Level.FINEST;
    }
}
