package io.uspbridge.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The words of a command line split into options and operands. Options may stand anywhere ({@code usp-ctl get
 * --timeout 5 Device.} and {@code usp-ctl --timeout 5 get Device.} mean the same); {@code --} ends them, so an
 * operand may start with a dash. An option with a value takes the next word or {@code --name=value}.
 */
public record CommandLine(Map<String, String> options, List<String> operands) {

    /** The options a tool knows: those that take a value, those that are flags, and short aliases. */
    public record Spec(Set<String> valued, Set<String> flags, Map<String, String> aliases) {
    }

    public CommandLine {
        options = Map.copyOf(options);
        operands = List.copyOf(operands);
    }

    public static CommandLine parse(String[] args, Spec spec) throws UsageException {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> operands = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String word = args[i];
            if (optionsEnded || !word.startsWith("-") || word.equals("-")) {
                operands.add(word);
                continue;
            }
            if (word.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = word;
            String value = null;
            int eq = word.indexOf('=');
            if (word.startsWith("--") && eq > 0) {
                name = word.substring(0, eq);
                value = word.substring(eq + 1);
            }
            name = spec.aliases().getOrDefault(name, name);
            if (spec.flags().contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                options.put(name, "true");
            } else if (spec.valued().contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args[++i];
                }
                options.put(name, value);
            } else {
                throw new UsageException("unknown option " + word);
            }
        }
        return new CommandLine(options, operands);
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    /** A whole number option within bounds, else the default. */
    public long number(String name, long defaultValue, long min, long max) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(name + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    /** A duration in seconds (decimals allowed), else the default. */
    public double seconds(String name, double defaultValue, double min, double max) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        double s;
        try {
            s = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number of seconds, not '" + v + "'");
        }
        if (!(s >= min && s <= max)) {
            throw new UsageException(name + " must be between " + trim(min) + " and " + trim(max) + " seconds");
        }
        return s;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
