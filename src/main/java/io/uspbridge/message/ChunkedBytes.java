package io.uspbridge.message;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only byte buffer in pages of {@value #PAGE} bytes: it grows without ever copying what it holds (a
 * 4 MB GetResp would otherwise be re-copied into ever larger arrays, and one multi-MB array goes straight into the
 * old generation of a small heap). {@link #truncate} drops the tail, for a requested path whose results are dropped.
 */
final class ChunkedBytes {
    static final int PAGE = 16 * 1024;

    private final List<byte[]> pages = new ArrayList<>();
    private int size;

    int size() {
        return size;
    }

    void append(byte[] src, int offset, int length) {
        while (length > 0) {
            int page = size / PAGE;
            int at = size % PAGE;
            if (page == pages.size()) {
                pages.add(new byte[PAGE]);
            }
            int n = Math.min(length, PAGE - at);
            System.arraycopy(src, offset, pages.get(page), at, n);
            size += n;
            offset += n;
            length -= n;
        }
    }

    /** Forgets everything from {@code newSize} on; the pages no longer needed are released. */
    void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IndexOutOfBoundsException("truncate to " + newSize + " of " + size);
        }
        size = newSize;
        int keep = (newSize + PAGE - 1) / PAGE;
        while (pages.size() > keep) {
            pages.remove(pages.size() - 1);
        }
    }

    /** Copies bytes {@code [from, to)} to {@code dst[offset]}. */
    void copyTo(int from, int to, byte[] dst, int offset) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + size);
        }
        while (from < to) {
            int at = from % PAGE;
            int n = Math.min(to - from, PAGE - at);
            System.arraycopy(pages.get(from / PAGE), at, dst, offset, n);
            from += n;
            offset += n;
        }
    }
}
