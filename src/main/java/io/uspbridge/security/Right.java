package io.uspbridge.security;

/** One letter of a permission string "rwxn" (TR-181 ControllerTrust.Role.{i}.Permission.{i}). */
public enum Right {
    READ('r'), WRITE('w'), EXECUTE('x'), NOTIFY('n');

    private final char letter;

    Right(char letter) {
        this.letter = letter;
    }

    int bit() {
        return 1 << ordinal();
    }

    /** Parses a four-character permission string ("r-xn"); anything malformed grants nothing. */
    static int parse(String s) {
        if (s == null || s.length() != 4) {
            return 0;
        }
        int bits = 0;
        for (Right r : values()) {
            if (s.charAt(r.ordinal()) == r.letter) {
                bits |= r.bit();
            }
        }
        return bits;
    }
}
