package io.uspbridge.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ChunkedBytes against the plain array it stands for, through appends, shared arrays, truncation and reads. */
class ChunkedBytesTest {

    /** What ChunkedBytes must hold: the same operations on a growing array. */
    private static final class Expected {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void append(byte[] b) {
            bytes.write(b, 0, b.length);
        }

        void truncate(int n) {
            byte[] keep = Arrays.copyOf(bytes.toByteArray(), n);
            bytes.reset();
            bytes.write(keep, 0, n);
        }

        byte[] range(int from, int to) {
            return Arrays.copyOfRange(bytes.toByteArray(), from, to);
        }
    }

    private static byte[] read(ChunkedBytes c, int from, int to) {
        byte[] out = new byte[to - from + 4];
        c.copyTo(from, to, out, 2);
        return Arrays.copyOfRange(out, 2, 2 + to - from);
    }

    private static byte[] random(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    @Test
    void holdsExactlyWhatWasAppendedCopiedOrSharedAcrossPagesAndTruncations() {
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            ChunkedBytes c = new ChunkedBytes();
            Expected e = new Expected();
            for (int op = 0; op < 60; op++) {
                int kind = r.nextInt(10);
                if (kind < 5) {
                    byte[] b = random(r, r.nextBoolean() ? 300 : 3 * ChunkedBytes.PAGE);
                    int off = b.length == 0 ? 0 : r.nextInt(b.length);
                    c.append(b, off, b.length - off);
                    e.append(Arrays.copyOfRange(b, off, b.length));
                } else if (kind < 8) {
                    byte[] b = random(r, 2000);
                    c.appendShared(b);
                    e.append(b);
                } else {
                    int n = c.size() == 0 ? 0 : r.nextInt(c.size() + 1);
                    c.truncate(n);
                    e.truncate(n);
                }
                assertThat(c.size()).isEqualTo(e.bytes.size());
            }
            int from = c.size() == 0 ? 0 : r.nextInt(c.size());
            int to = from + (c.size() == from ? 0 : r.nextInt(c.size() - from + 1));
            assertThat(read(c, 0, c.size())).isEqualTo(e.range(0, c.size()));
            assertThat(read(c, from, to)).isEqualTo(e.range(from, to));
        }
    }

    @Test
    void appendingAfterATruncationNeverOverwritesWhatIsKept() {
        ChunkedBytes c = new ChunkedBytes();
        c.append(new byte[] {1, 2, 3}, 0, 3);
        byte[] shared = {9, 9};
        c.appendShared(shared);
        c.append(new byte[] {4, 5}, 0, 2);
        c.truncate(4);                      // 1 2 3 9
        c.append(new byte[] {6, 7}, 0, 2);
        assertThat(read(c, 0, c.size())).containsExactly(1, 2, 3, 9, 6, 7);
        assertThat(shared).as("a shared array is never written").containsExactly(9, 9);
    }

    @Test
    void aRangeOutsideTheBytesIsRefused() {
        ChunkedBytes c = new ChunkedBytes();
        c.append(new byte[10], 0, 10);
        assertThatThrownBy(() -> c.copyTo(5, 11, new byte[20], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.truncate(11)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
