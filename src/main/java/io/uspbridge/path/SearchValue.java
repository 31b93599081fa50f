package io.uspbridge.path;

/**
 * The constant of a search expression component: a quoted literal ({@code "eth0"}, already percent-decoded:
 * {@code %22} → {@code "}, {@code %25} → {@code %}) or an unquoted token ({@code 10}, {@code true},
 * {@code 2021-06-06T08:00:00Z}). Whether the quoting fits the parameter's type is checked at resolution, where the
 * type is known (PATH-6).
 */
public record SearchValue(String text, boolean quoted) {
    @Override
    public String toString() {
        return quoted ? '"' + text.replace("%", "%25").replace("\"", "%22") + '"' : text;
    }
}
