package io.uspbridge.message;

import java.util.Arrays;

/**
 * An append-only byte sequence made of segments: bytes copied into pages of {@value #PAGE} bytes, and whole arrays
 * shared as they are. It grows without ever copying what it holds (a 4 MB GetResp would otherwise be re-copied into
 * ever larger arrays, and one multi-MB array goes straight into the old generation of a small heap), and a result
 * kept from an earlier Get is added by reference, so its bytes are copied once, into the Record ({@link #copyTo}).
 * {@link #truncate} drops the tail, for a requested path whose results are dropped.
 */
final class ChunkedBytes {
    static final int PAGE = 16 * 1024;

    // Segment i is arrays[i][offsets[i] .. offsets[i] + lengths[i]); starts[i] is where it begins in the sequence.
    private byte[][] arrays = new byte[16][];
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int[] starts = new int[16];
    private int count;
    private int size;
    /** The page appends are copied into, and how much of it is used (it may hold the tails of several segments). */
    private byte[] page;
    private int pageUsed;

    int size() {
        return size;
    }

    /** Appends a copy of {@code src[offset .. offset + length)}. */
    void append(byte[] src, int offset, int length) {
        while (length > 0) {
            if (page == null || pageUsed == PAGE) {
                page = new byte[PAGE];
                pageUsed = 0;
            }
            int n = Math.min(length, PAGE - pageUsed);
            System.arraycopy(src, offset, page, pageUsed, n);
            int last = count - 1;
            if (last >= 0 && arrays[last] == page && offsets[last] + lengths[last] == pageUsed) {
                lengths[last] += n;     // continues the segment that ends where this copy starts
            } else {
                add(page, pageUsed, n);
            }
            pageUsed += n;
            size += n;
            offset += n;
            length -= n;
        }
    }

    /**
     * Appends {@code bytes} without copying them; they must never change afterwards (e.g. a kept encoded result,
     * which is replaced, never rewritten, when its object changes).
     */
    void appendShared(byte[] bytes) {
        if (bytes.length > 0) {
            add(bytes, 0, bytes.length);
            size += bytes.length;
        }
    }

    private void add(byte[] array, int offset, int length) {
        if (count == arrays.length) {
            int n = count * 2;
            arrays = Arrays.copyOf(arrays, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            starts = Arrays.copyOf(starts, n);
        }
        arrays[count] = array;
        offsets[count] = offset;
        lengths[count] = length;
        starts[count] = size;
        count++;
    }

    /** Forgets everything from {@code newSize} on; page space and shared arrays no longer needed are released. */
    void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IndexOutOfBoundsException("truncate to " + newSize + " of " + size);
        }
        while (count > 0 && starts[count - 1] >= newSize) {
            count--;
            release(count);
            arrays[count] = null;
        }
        if (count > 0) {
            lengths[count - 1] = newSize - starts[count - 1];
            release(count - 1);
        }
        size = newSize;
    }

    /** Gives the page back the space after segment {@code i} when that segment ends the page's used part. */
    private void release(int i) {
        if (arrays[i] == page && offsets[i] < pageUsed) {
            pageUsed = offsets[i] + (i < count ? lengths[i] : 0);
        }
    }

    /** Copies bytes {@code [from, to)} to {@code dst[offset]}. */
    void copyTo(int from, int to, byte[] dst, int offset) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + size);
        }
        if (from == to) {
            return;
        }
        int i = Arrays.binarySearch(starts, 0, count, from);
        if (i < 0) {
            i = -i - 2;         // the segment that holds `from`
        }
        while (from < to) {
            int within = from - starts[i];
            int n = Math.min(to - from, lengths[i] - within);
            System.arraycopy(arrays[i], offsets[i] + within, dst, offset, n);
            from += n;
            offset += n;
            i++;
        }
    }
}
