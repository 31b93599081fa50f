package io.uspbridge.path;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written single-pass scanner for the PATH-2 grammar. No regular expressions and no recursion: each character
 * is looked at a bounded number of times, so the cost is linear in the length, which is itself bounded
 * ({@link Path#MAX_LENGTH}).
 *
 * <p>Accepted beyond the letter of the BNF, as TR-369's prose and examples use them: {@code -} inside names
 * (vendor prefixes such as {@code X_EXAMPLE-COM_Foo}); a reference followed by a final dot
 * ({@code Recipient+.} names the referenced object); unquoted constants that are not integers ({@code 1.5},
 * {@code 2021-06-06T08:00:00Z}, {@code 08}); whitespace around operators, around {@code &&} and inside the brackets
 * (R-ARC.9a). A {@code %} in a literal that does not start {@code %22} or {@code %25} stands for itself.
 */
final class PathParser {
    private final String s;
    private final int n;
    private int pos;
    private int conditions;
    private int hops;

    PathParser(String text) {
        this.s = text;
        this.n = text.length();
    }

    Path parse() {
        if (n == 0) {
            throw error("the path is empty");
        }
        if (n > Path.MAX_LENGTH) {
            throw new ModelException(ErrorCode.INVALID_PATH_SYNTAX, "the path is " + n
                    + " characters long; at most " + Path.MAX_LENGTH + " are accepted");
        }
        String root = name("the root object name");
        if (pos == n) {
            throw error("an object path ends with '.' (the root object is written '" + root + ".')");
        }
        expect('.', "after the root name '" + root + "'");
        List<PathSegment> segments = new ArrayList<>();
        PathKind kind = PathKind.OBJECT;
        PathSegment prev = null;
        while (pos < n) {
            if (segments.size() >= Path.MAX_SEGMENTS) {
                throw error("the path has more than " + Path.MAX_SEGMENTS + " segments");
            }
            char c = s.charAt(pos);
            if (isDigit(c) || c == '*' || c == '[') {
                if (!(prev instanceof PathSegment.Name)) {
                    throw error("an instance number, '*' or '[' must follow a table name");
                }
                PathSegment inst = c == '*' ? wildcard() : c == '[' ? expression() : instanceNumber();
                expectSegmentEnd(inst);
                segments.add(inst);
                prev = inst;
                continue;
            }
            String name = name("a name");
            if (pos == n) {
                segments.add(new PathSegment.Name(name));
                kind = PathKind.PARAMETER;
                break;
            }
            c = s.charAt(pos);
            if (c == '(') {
                if (pos + 1 >= n || s.charAt(pos + 1) != ')') {
                    throw error("a command name ends with '()'");
                }
                pos += 2;
                leafAtEnd(name + "()");
                segments.add(new PathSegment.Name(name + "()"));
                kind = PathKind.COMMAND;
                break;
            }
            if (c == '!') {
                pos++;
                leafAtEnd(name + "!");
                segments.add(new PathSegment.Name(name + "!"));
                kind = PathKind.EVENT;
                break;
            }
            if (c == '#' || c == '+') {
                PathSegment.ReferenceFollow f = referenceFollow(name);
                expect('.', "after the reference '" + f + "' (write '" + f + ".' and what follows)");
                segments.add(f);
                prev = f;
                continue;
            }
            if (c == '.') {
                pos++;
                PathSegment.Name seg = new PathSegment.Name(name);
                segments.add(seg);
                prev = seg;
                continue;
            }
            throw error("unexpected " + describe(c) + " after the name '" + name + "'");
        }
        return new Path(s, root, kind, segments);
    }

    // ---- path elements ----------------------------------------------------------------------------------------

    private String name(String what) {
        int start = pos;
        if (pos >= n) {
            throw error("expected " + what + " but the path ends");
        }
        char c = s.charAt(pos);
        if (!isNameStart(c)) {
            if (c == '.') {
                throw error("empty name (two dots in a row, or a dot where " + what + " belongs)");
            }
            throw error("expected " + what + " but found " + describe(c));
        }
        pos++;
        while (pos < n && isNamePart(s.charAt(pos))) {
            pos++;
        }
        if (pos - start > Path.MAX_NAME_LENGTH) {
            pos = start;
            throw error("a name is longer than " + Path.MAX_NAME_LENGTH + " characters");
        }
        return s.substring(start, pos);
    }

    private PathSegment instanceNumber() {
        int v = positiveNumber("instance number");
        return new PathSegment.InstanceNumber(v);
    }

    private PathSegment wildcard() {
        pos++;
        return PathSegment.Wildcard.INSTANCE;
    }

    /** posnum ::= [1-9][0-9]* — instance numbers start at 1 and have no leading zero (PATH-3). */
    private int positiveNumber(String what) {
        int start = pos;
        if (s.charAt(pos) == '0') {
            throw error(what + "s start at 1 and have no leading zero");
        }
        long v = 0;
        while (pos < n && isDigit(s.charAt(pos))) {
            v = v * 10 + (s.charAt(pos) - '0');
            if (v > Integer.MAX_VALUE) {
                pos = start;
                throw error(what + " is larger than " + Integer.MAX_VALUE);
            }
            pos++;
        }
        return (int) v;
    }

    /** reffollow ::= ('#' (posnum | '*') '+') | '+' ; the caller has read the parameter name. */
    private PathSegment.ReferenceFollow referenceFollow(String param) {
        if (++hops > Path.MAX_REFERENCE_HOPS) {
            throw error("the path follows more than " + Path.MAX_REFERENCE_HOPS + " references");
        }
        int index = 1;
        if (s.charAt(pos) == '#') {
            pos++;
            if (pos < n && s.charAt(pos) == '*') {
                pos++;
                index = PathSegment.ReferenceFollow.ALL;
            } else if (pos < n && isDigit(s.charAt(pos))) {
                index = positiveNumber("list item number");
            } else {
                throw error("'#' must be followed by a list item number (1, 2, ...) or '*', then '+'");
            }
            if (pos >= n || s.charAt(pos) != '+') {
                throw error("expected '+' to follow the reference '" + param + "#...'");
            }
        }
        pos++; // the '+'
        return new PathSegment.ReferenceFollow(param, index);
    }

    private void expectSegmentEnd(PathSegment inst) {
        if (pos >= n) {
            throw error("an instance path ends with '.' (write '" + inst + ".')");
        }
        if (s.charAt(pos) != '.') {
            throw error("expected '.' after '" + (inst instanceof PathSegment.SearchExpression ? "]" : inst)
                    + "' but found " + describe(s.charAt(pos)));
        }
        pos++;
    }

    private void leafAtEnd(String leaf) {
        if (pos != n) {
            throw error("'" + leaf + "' must end the path: commands and events have no children");
        }
    }

    // ---- search expressions -----------------------------------------------------------------------------------

    /** expr ::= '[' exprcomp ( '&&' exprcomp )* ']' */
    private PathSegment expression() {
        int open = pos;
        pos++; // '['
        skipSpaces();
        if (pos < n && s.charAt(pos) == ']') {
            throw error("empty search expression '[]'");
        }
        List<SearchCondition> list = new ArrayList<>();
        while (true) {
            if (++conditions > Path.MAX_CONDITIONS) {
                throw error("the path has more than " + Path.MAX_CONDITIONS + " search conditions");
            }
            list.add(condition());
            skipSpaces();
            if (pos >= n) {
                pos = open;
                throw error("the search expression opened here is not closed with ']'");
            }
            char c = s.charAt(pos);
            if (c == ']') {
                pos++;
                return new PathSegment.SearchExpression(list);
            }
            if (c == '&' && pos + 1 < n && s.charAt(pos + 1) == '&') {
                pos += 2;
                skipSpaces();
                continue;
            }
            if (c == '|') {
                throw error("'||' is not supported: a search expression joins its components with '&&' only");
            }
            throw error("expected '&&' or ']' but found " + describe(c));
        }
    }

    /** exprcomp ::= relpath oper value ; relpath ::= name (reffollow? '.' name)* */
    private SearchCondition condition() {
        List<PathSegment> rel = new ArrayList<>();
        while (true) {
            if (pos < n && (isDigit(s.charAt(pos)) || s.charAt(pos) == '*' || s.charAt(pos) == '[')) {
                throw error("a search expression cannot descend into a table (" + describe(s.charAt(pos))
                        + "): use a separate expression at that table's level");
            }
            String name = name("a parameter name");
            if (pos < n && (s.charAt(pos) == '#' || s.charAt(pos) == '+')) {
                PathSegment.ReferenceFollow f = referenceFollow(name);
                expect('.', "after the reference '" + f + "' in a search expression");
                rel.add(f);
                continue;
            }
            if (pos < n && s.charAt(pos) == '.') {
                pos++;
                rel.add(new PathSegment.Name(name));
                continue;
            }
            rel.add(new PathSegment.Name(name));
            break;
        }
        if (rel.size() > Path.MAX_SEGMENTS) {
            throw error("a relative path in a search expression is too long");
        }
        skipSpaces();
        SearchOperator op = operator();
        skipSpaces();
        SearchValue value = value();
        return new SearchCondition(rel, op, value);
    }

    private SearchOperator operator() {
        if (pos >= n) {
            throw error("expected an operator (==, !=, ~=, <, >, <=, >=) but the path ends");
        }
        char c = s.charAt(pos);
        char d = pos + 1 < n ? s.charAt(pos + 1) : 0;
        SearchOperator op = switch (c) {
            case '=' -> d == '=' ? SearchOperator.EQ : null;
            case '!' -> d == '=' ? SearchOperator.NE : null;
            case '~' -> d == '=' ? SearchOperator.CONTAINS : null;
            case '<' -> d == '=' ? SearchOperator.LE : SearchOperator.LT;
            case '>' -> d == '=' ? SearchOperator.GE : SearchOperator.GT;
            default -> null;
        };
        if (op == null) {
            throw error("expected an operator (==, !=, ~=, <, >, <=, >=) but found " + describe(c)
                    + (c == '=' ? " (equality is written '==')" : ""));
        }
        pos += op.symbol().length();
        return op;
    }

    /** value ::= '"' [^"]* '"' | an unquoted token up to whitespace, '&&' or ']'. */
    private SearchValue value() {
        if (pos >= n) {
            throw error("expected a value but the path ends");
        }
        if (s.charAt(pos) == '"') {
            int open = pos++;
            StringBuilder sb = null;
            int start = pos;
            while (pos < n && s.charAt(pos) != '"') {
                char c = s.charAt(pos);
                if (c == '%' && pos + 2 < n && s.charAt(pos + 1) == '2'
                        && (s.charAt(pos + 2) == '2' || s.charAt(pos + 2) == '5')) {
                    if (sb == null) {
                        sb = new StringBuilder(s.length() - start);
                        sb.append(s, start, pos);
                    }
                    sb.append(s.charAt(pos + 2) == '2' ? '"' : '%');
                    pos += 3;
                    continue;
                }
                if (sb != null) {
                    sb.append(c);
                }
                pos++;
            }
            if (pos >= n) {
                pos = open;
                throw error("the string opened here is not closed with '\"'");
            }
            String text = sb == null ? s.substring(start, pos) : sb.toString();
            pos++;
            return new SearchValue(text, true);
        }
        int start = pos;
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == ']' || c == '&' || c == '|' || c == ' ' || c == '\t') {
                break;
            }
            if (!isTokenChar(c)) {
                throw error("unexpected " + describe(c) + " in a value (strings are written in double quotes)");
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected a value after the operator");
        }
        return new SearchValue(s.substring(start, pos), false);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private void skipSpaces() {
        while (pos < n && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void expect(char c, String where) {
        if (pos >= n) {
            throw error("expected '" + c + "' " + where + " but the path ends");
        }
        if (s.charAt(pos) != c) {
            throw error("expected '" + c + "' " + where + " but found " + describe(s.charAt(pos)));
        }
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || isDigit(c) || c == '-';
    }

    /** Characters of unquoted numbers, booleans, date-times, hexBinary and base64. */
    private static boolean isTokenChar(char c) {
        return isNamePart(c) || c == '+' || c == '.' || c == ':' || c == '/' || c == '=';
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
            return String.format("control character U+%04X", (int) c);
        }
        if (Character.isWhitespace(c)) {
            return String.format("whitespace U+%04X", (int) c);
        }
        if (Character.isSurrogate(c)) {
            return "'" + c + "' (not allowed here)";
        }
        return "'" + c + "'";
    }

    private ModelException error(String what) {
        return new ModelException(ErrorCode.INVALID_PATH_SYNTAX,
                "invalid path '" + Path.excerpt(printable(s)) + "': " + what
                        + (n == 0 ? "" : " (at character " + (Math.min(pos, n - 1) + 1) + ")"));
    }

    /** Control characters are shown escaped, so that an error message never carries raw control bytes. */
    private static String printable(String text) {
        int limit = Math.min(text.length(), 130);
        StringBuilder sb = null;
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                sb.append(String.format("\\u%04X", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        if (sb == null) {
            return text;
        }
        if (limit < text.length()) {
            sb.append(text, limit, text.length());
        }
        return sb.toString();
    }
}
