package io.uspbridge.message;

/** Keeps what the agent echoes back in error messages short, whatever a controller sent. */
final class Texts {
    private static final int MAX_ECHO = 120;

    private Texts() {
    }

    /** {@code s} itself when short, else its start and its length: a hostile 64 KiB name is not echoed whole. */
    static String excerpt(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_ECHO ? s : s.substring(0, 100) + "…(" + s.length() + " characters)";
    }
}
