package io.uspbridge.path;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parsed form of an instantiated-model Path Name (PATH-1, PATH-2): {@code Device.LocalAgent.Controller.1.},
 * {@code Device.LocalAgent.Subscription.[Enable==true].ID}, {@code Device.Reboot()}, {@code Device.Boot!}.
 * Immutable and safe to share between threads.
 *
 * <p>Parsing checks the grammar only; whether the names exist, which brackets are unique-key addresses and whether
 * the constants fit the parameter types is decided by {@link PathResolver} against the schema.
 */
public final class Path {

    /** Longest path accepted (characters): far above any real path, small enough to bound the work on bad input. */
    public static final int MAX_LENGTH = 32 * 1024;
    /** Most segments after the root (TR-181 paths are about 10 deep). */
    public static final int MAX_SEGMENTS = 128;
    /** Most search-expression components in one path. */
    public static final int MAX_CONDITIONS = 64;
    /** Most reference-following hops ({@code +}) in one path, search expressions included. */
    public static final int MAX_REFERENCE_HOPS = 16;
    /** Longest name of one object, parameter, command or event. */
    public static final int MAX_NAME_LENGTH = 256;

    // Controllers send the same few paths again and again (Get of Device.DeviceInfo., polling of one table): keep
    // their parsed form. Bounded by clearing when full, which is cheap and never grows without limit.
    private static final int CACHE_SIZE = 2048;
    private static final int CACHE_MAX_PATH = 512;
    private static final Map<String, Path> CACHE = new ConcurrentHashMap<>();

    private final String text;
    private final String rootName;
    private final PathKind kind;
    private final List<PathSegment> segments;
    private final String leafName;
    private final boolean wildcardOrSearch;

    Path(String text, String rootName, PathKind kind, List<PathSegment> segments) {
        this.text = text;
        this.rootName = rootName;
        this.kind = kind;
        this.segments = List.copyOf(segments);
        this.leafName = kind == PathKind.OBJECT ? null
                : ((PathSegment.Name) this.segments.get(this.segments.size() - 1)).name();
        boolean search = false;
        for (PathSegment s : this.segments) {
            if (s instanceof PathSegment.Wildcard || s instanceof PathSegment.SearchExpression
                    || s instanceof PathSegment.ReferenceFollow f && f.all()) {
                search = true;
                break;
            }
        }
        this.wildcardOrSearch = search;
    }

    /**
     * Parses a Path Name.
     *
     * @throws ModelException {@link ErrorCode#INVALID_PATH_SYNTAX} (7008) naming what is wrong and where
     */
    public static Path parse(String text) {
        if (text == null) {
            throw new ModelException(ErrorCode.INVALID_PATH_SYNTAX, "the path is missing");
        }
        Path p = CACHE.get(text);
        if (p != null) {
            return p;
        }
        p = new PathParser(text).parse();
        if (text.length() <= CACHE_MAX_PATH) {
            if (CACHE.size() >= CACHE_SIZE) {
                CACHE.clear();
            }
            CACHE.put(text, p);
        }
        return p;
    }

    /** The path as it was written. */
    public String text() {
        return text;
    }

    /** The first name, {@code Device} in a TR-181 model. */
    public String rootName() {
        return rootName;
    }

    public PathKind kind() {
        return kind;
    }

    /** The segments after the root name; for a parameter, command or event path the last is the leaf's Name. */
    public List<PathSegment> segments() {
        return segments;
    }

    /** {@code Enable}, {@code Reboot()}, {@code Boot!}; null for an object path. */
    public String leafName() {
        return leafName;
    }

    /**
     * Whether the path syntactically contains {@code *}, a bracketed expression (search or unique-key address) or
     * {@code #*+}. {@link Resolution#search()} says whether it was actually a search.
     */
    public boolean hasWildcardOrSearch() {
        return wildcardOrSearch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /** The path shortened for an error message, so that a hostile 32 KiB path is not echoed back whole. */
    static String excerpt(String text) {
        return text.length() <= 120 ? text : text.substring(0, 100) + "…(" + text.length() + " characters)";
    }
}
