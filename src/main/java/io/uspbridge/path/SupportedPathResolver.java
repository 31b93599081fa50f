package io.uspbridge.path;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;

/**
 * Resolves the paths of a GetSupportedDM request (GSDM-1): supported-model paths
 * ({@code sdmpath ::= name '.' ( name '.' ( ( posnum | '{i}' ) '.' )? )* name?}, PATH-2) such as
 * {@code Device.LocalAgent.Controller.{i}.BootParameter.} where a final {@code {i}.} may be omitted, and instantiated
 * paths of existing objects such as {@code Device.ProxiedDevice.3.} (how controllers explore divergent mount points,
 * GSDM-5), each optionally ending with one parameter, command or event name.
 *
 * <p>Syntax errors are 7008: an instance number after a {@code {i}} (numbers under a placeholder name nothing),
 * {@code *} or search expressions, two instance identifiers in a row. Names not in the supported model, an omitted
 * {@code {i}} that is not the final one, and instance numbers of objects that do not exist are 7026.
 */
public final class SupportedPathResolver {
    private final DataModel model;

    public SupportedPathResolver(DataModel model) {
        this.model = model;
    }

    public SupportedTarget resolve(String text) {
        if (text == null || text.isEmpty()) {
            throw syntax(text == null ? "" : text, "the path is empty", 0);
        }
        if (text.length() > Path.MAX_LENGTH) {
            throw new ModelException(ErrorCode.INVALID_PATH_SYNTAX, "the path is " + text.length()
                    + " characters long; at most " + Path.MAX_LENGTH + " are accepted");
        }
        int n = text.length();
        int pos = scanName(text, 0, "the root object name");
        String rootName = text.substring(0, pos);
        if (pos >= n || text.charAt(pos) != '.') {
            throw syntax(text, "expected '.' after the root name '" + rootName + "'", pos);
        }
        pos++;
        ObjectNode root = model.root();
        if (!rootName.equals(root.def().name())) {
            throw notSupported(text, "the root object is '" + root.def().name() + ".'");
        }

        ObjectDef def = root.def();
        ObjectNode node = root;       // the object reached in the tree while every table got an instance number
        ObjectNode anchor = null;     // the last object reached before a {i} or an omitted instance
        boolean numbered = false;     // an instance number was used
        boolean placeholder = false;  // a {i} was used
        boolean pendingTable = false; // a table name was read; its instance identifier may follow
        boolean afterInstance = false;
        int segments = 0;
        while (pos < n) {
            if (++segments > Path.MAX_SEGMENTS) {
                throw syntax(text, "the path has more than " + Path.MAX_SEGMENTS + " segments", pos);
            }
            char c = text.charAt(pos);
            if (c == '{' || (c >= '0' && c <= '9') || c == '*' || c == '[') {
                if (c == '*' || c == '[') {
                    throw syntax(text, "GetSupportedDM paths use '{i}' or instance numbers, not '" + c + "'", pos);
                }
                if (placeholder && c != '{') {
                    throw syntax(text, "an instance number cannot follow '{i}' (instances under a placeholder"
                            + " are not addressable)", pos);
                }
                if (afterInstance) {
                    throw syntax(text, "two instance identifiers in a row", pos);
                }
                if (!pendingTable && segments == 1) {
                    throw syntax(text, "an instance identifier must follow a table name", pos);
                }
                if (!pendingTable) {
                    throw notSupported(text, def.path() + " is not a table, so it has no instances");
                }
                int start = pos;
                if (c == '{') {
                    if (!text.startsWith("{i}", pos)) {
                        throw syntax(text, "the instance placeholder is written '{i}'", pos);
                    }
                    pos += 3;
                    placeholder = true;
                    if (node != null) {
                        anchor = node;
                        node = null;
                    }
                } else {
                    if (c == '0') {
                        throw syntax(text, "instance numbers start at 1 and have no leading zero", pos);
                    }
                    long v = 0;
                    while (pos < n && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                        v = v * 10 + (text.charAt(pos) - '0');
                        if (v > Integer.MAX_VALUE) {
                            throw syntax(text, "instance number is larger than " + Integer.MAX_VALUE, start);
                        }
                        pos++;
                    }
                    numbered = true;
                    ObjectNode row = node == null ? null : node.table(def.name()).row((int) v);
                    if (row == null) {
                        throw notSupported(text, "instance " + text.substring(0, pos) + ". does not exist");
                    }
                    node = row;
                }
                if (pos >= n || text.charAt(pos) != '.') {
                    throw syntax(text, "expected '.' after the instance identifier", pos);
                }
                pos++;
                pendingTable = false;
                afterInstance = true;
                continue;
            }
            int start = pos;
            pos = scanName(text, pos, "a name");
            String name = text.substring(start, pos);
            String leaf = null;
            PathKind kind = PathKind.PARAMETER;
            if (pos == n) {
                leaf = name;
            } else if (text.charAt(pos) == '(' && text.startsWith("()", pos) && pos + 2 == n) {
                leaf = name + "()";
                kind = PathKind.COMMAND;
            } else if (text.charAt(pos) == '!' && pos + 1 == n) {
                leaf = name + "!";
                kind = PathKind.EVENT;
            } else if (text.charAt(pos) != '.') {
                throw syntax(text, "unexpected '" + text.charAt(pos) + "' after the name '" + name + "'", pos);
            }
            if (pendingTable) {
                throw notSupported(text, def.tablePath() + " is a table: only the final '{i}.' may be omitted, write '"
                        + def.tablePath() + "{i}." + name + "'");
            }
            if (leaf != null) {
                boolean found = switch (kind) {
                    case PARAMETER -> def.param(leaf) != null;
                    case COMMAND -> def.command(leaf) != null;
                    case EVENT -> def.event(leaf) != null;
                    case OBJECT -> true;
                };
                if (!found) {
                    throw notSupported(text, "'" + leaf + "' is not a " + kind.name().toLowerCase() + " of "
                            + def.path());
                }
                return new SupportedTarget(def, numbered ? (node != null ? node : anchor) : null, kind, leaf);
            }
            pos++; // '.'
            ObjectDef child = def.child(name);
            if (child == null) {
                throw notSupported(text, "'" + name + "' is not an object of " + def.path());
            }
            def = child;
            afterInstance = false;
            if (child.isMultiInstance()) {
                pendingTable = true;
            } else if (node != null) {
                ObjectNode c2 = node.child(name);
                if (c2 == null && numbered) {
                    throw notSupported(text, text.substring(0, pos) + " does not exist");
                }
                node = c2; // without instance numbers, an absent optional object is still a supported path
            }
        }
        if (pendingTable && node != null) {
            // The final {i}. omitted: the table's rows are described; the instance is what lies above the table.
            anchor = node;
            node = null;
        }
        return new SupportedTarget(def, numbered ? (node != null ? node : anchor) : null, PathKind.OBJECT, null);
    }

    private static int scanName(String text, int pos, String what) {
        int start = pos;
        int n = text.length();
        if (pos >= n) {
            throw syntax(text, "expected " + what + " but the path ends", pos);
        }
        char c = text.charAt(pos);
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')) {
            throw syntax(text, "expected " + what + " but found " + (Character.isISOControl(c)
                    ? String.format("control character U+%04X", (int) c) : "'" + c + "'"), pos);
        }
        pos++;
        while (pos < n) {
            c = text.charAt(pos);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-')) {
                break;
            }
            pos++;
        }
        if (pos - start > Path.MAX_NAME_LENGTH) {
            throw syntax(text, "a name is longer than " + Path.MAX_NAME_LENGTH + " characters", start);
        }
        return pos;
    }

    private static ModelException syntax(String text, String why, int pos) {
        return new ModelException(ErrorCode.INVALID_PATH_SYNTAX, "invalid supported path '"
                + Path.excerpt(escape(text)) + "': " + why + (text.isEmpty() ? "" : " (at character " + (pos + 1) + ")"));
    }

    private static ModelException notSupported(String text, String why) {
        return new ModelException(ErrorCode.INVALID_PATH,
                "path '" + Path.excerpt(escape(text)) + "' is not in the supported data model: " + why);
    }

    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return text.length() > 200 ? sb + "…(" + text.length() + " characters)" : sb.toString();
    }
}
