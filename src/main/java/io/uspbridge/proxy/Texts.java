package io.uspbridge.proxy;

import io.uspbridge.model.ValueType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Text as the proxy's rows hold it. */
final class Texts {
    private Texts() {
    }

    /** {@code s} cut to at most {@code max} characters (adapters' names and descriptions may be longer). */
    static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max));
    }

    /** A TR-106 dateTime in UTC, to the millisecond. */
    static String dateTime(Instant t) {
        return ValueType.formatDateTime(LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
    }
}
