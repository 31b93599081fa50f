package io.uspbridge.cli;

import io.uspbridge.proto.UspMsg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** USP requests from command-line operands: what each usp-ctl command sends. */
public final class Requests {
    private Requests() {
    }

    /** {@code Path=Value}: the path (or relative name) and the value, split at the first '=' outside [...] / "...". */
    public record Assignment(String path, String value) {
        public static Assignment parse(String word) throws UsageException {
            int at = outsideSearch(word, '=', true);
            if (at <= 0) {
                throw new UsageException("expected Name=Value, not '" + word + "'");
            }
            return new Assignment(word.substring(0, at), word.substring(at + 1));
        }

        /** The object part of a full parameter path ({@code Device.X.1.}) and the parameter's name. */
        String[] objectAndParameter() throws UsageException {
            int lastDot = outsideSearch(path, '.', false);
            if (lastDot <= 0 || lastDot == path.length() - 1) {
                throw new UsageException("expected a parameter path such as Device.X.1.Name=Value, not '" + path
                        + "'");
            }
            return new String[] {path.substring(0, lastDot + 1), path.substring(lastDot + 1)};
        }

        /**
         * The first ({@code first}) or last index of {@code target} outside a search expression ({@code [...]},
         * where quoted text may hold anything); -1 when there is none.
         */
        private static int outsideSearch(String s, char target, boolean first) {
            int found = -1;
            int depth = 0;
            boolean quoted = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' && depth > 0) {
                    quoted = !quoted;
                } else if (!quoted && c == '[') {
                    depth++;
                } else if (!quoted && c == ']' && depth > 0) {
                    depth--;
                } else if (!quoted && depth == 0 && c == target) {
                    found = i;
                    if (first) {
                        break;
                    }
                }
            }
            return found;
        }
    }

    public static UspMsg.Request get(List<String> paths, int maxDepth) throws UsageException {
        need(paths, "get needs at least one path, e.g. usp-ctl get Device.DeviceInfo.");
        return UspMsg.Request.newBuilder()
                .setGet(UspMsg.Get.newBuilder().addAllParamPaths(paths).setMaxDepth(maxDepth)).build();
    }

    /**
     * A Set of full parameter paths; consecutive settings of one object go into one UpdateObject, in the order
     * given. {@code required} marks every setting required (its failure fails its object, R-SET.2a).
     */
    public static UspMsg.Request set(List<String> words, boolean allowPartial, boolean required)
            throws UsageException {
        need(words, "set needs Path=Value operands, e.g. usp-ctl set Device.LocalAgent.Controller.1.Enable=true");
        Map<String, UspMsg.Set.UpdateObject.Builder> objects = new LinkedHashMap<>();
        for (String w : words) {
            Assignment a = Assignment.parse(w);
            String[] op = a.objectAndParameter();
            objects.computeIfAbsent(op[0], o -> UspMsg.Set.UpdateObject.newBuilder().setObjPath(o))
                    .addParamSettings(UspMsg.Set.UpdateParamSetting.newBuilder().setParam(op[1])
                            .setValue(a.value()).setRequired(required));
        }
        UspMsg.Set.Builder set = UspMsg.Set.newBuilder().setAllowPartial(allowPartial);
        objects.values().forEach(set::addUpdateObjs);
        return UspMsg.Request.newBuilder().setSet(set).build();
    }

    /** An Add of one row with {@code Name=Value} settings. */
    public static UspMsg.Request add(List<String> operands, boolean allowPartial, boolean required)
            throws UsageException {
        need(operands, "add needs a table path, e.g. usp-ctl add Device.LocalAgent.Subscription. Enable=true");
        String table = operands.get(0);
        if (!table.endsWith(".")) {
            throw new UsageException("add needs a table path ending in '.', not '" + table + "'");
        }
        UspMsg.Add.CreateObject.Builder obj = UspMsg.Add.CreateObject.newBuilder().setObjPath(table);
        for (String w : operands.subList(1, operands.size())) {
            Assignment a = Assignment.parse(w);
            obj.addParamSettings(UspMsg.Add.CreateParamSetting.newBuilder().setParam(a.path()).setValue(a.value())
                    .setRequired(required));
        }
        return UspMsg.Request.newBuilder()
                .setAdd(UspMsg.Add.newBuilder().setAllowPartial(allowPartial).addCreateObjs(obj)).build();
    }

    public static UspMsg.Request delete(List<String> paths, boolean allowPartial) throws UsageException {
        need(paths, "delete needs at least one object path, e.g. usp-ctl delete Device.LocalAgent.Subscription.2.");
        for (String p : paths) {
            if (!p.endsWith(".")) {
                throw new UsageException("delete needs object paths ending in '.', not '" + p + "'");
            }
        }
        return UspMsg.Request.newBuilder()
                .setDelete(UspMsg.Delete.newBuilder().setAllowPartial(allowPartial).addAllObjPaths(paths)).build();
    }

    /** An Operate of one command path ({@code …Name()}) with {@code Arg=Value} input arguments. */
    public static UspMsg.Request operate(List<String> operands, String commandKey, boolean sendResp)
            throws UsageException {
        need(operands, "operate needs a command path, e.g. usp-ctl operate 'Device.ProxiedDevice.1.IoTCapability.1."
                + "BinaryControl.Toggle()'");
        String command = operands.get(0);
        if (!command.endsWith("()")) {
            throw new UsageException("a command path ends in '()', e.g. Device.Reboot(), not '" + command + "'");
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String w : operands.subList(1, operands.size())) {
            Assignment a = Assignment.parse(w);
            args.put(a.path(), a.value());
        }
        return UspMsg.Request.newBuilder().setOperate(UspMsg.Operate.newBuilder().setCommand(command)
                .setCommandKey(commandKey).setSendResp(sendResp).putAllInputArgs(args)).build();
    }

    public static UspMsg.Request supportedDm(List<String> paths, boolean firstLevelOnly, boolean params,
            boolean commands, boolean events, boolean uniqueKeys) throws UsageException {
        need(paths, "gsdm needs at least one object path, e.g. usp-ctl gsdm Device.ProxiedDevice.");
        return UspMsg.Request.newBuilder().setGetSupportedDm(UspMsg.GetSupportedDM.newBuilder()
                .addAllObjPaths(paths).setFirstLevelOnly(firstLevelOnly).setReturnParams(params)
                .setReturnCommands(commands).setReturnEvents(events).setReturnUniqueKeySets(uniqueKeys)).build();
    }

    public static UspMsg.Request instances(List<String> paths, boolean firstLevelOnly) throws UsageException {
        need(paths, "instances needs at least one object path, e.g. usp-ctl instances Device.ProxiedDevice.");
        return UspMsg.Request.newBuilder().setGetInstances(UspMsg.GetInstances.newBuilder().addAllObjPaths(paths)
                .setFirstLevelOnly(firstLevelOnly)).build();
    }

    public static UspMsg.Request supportedProtocol(String versions) {
        return UspMsg.Request.newBuilder().setGetSupportedProtocol(UspMsg.GetSupportedProtocol.newBuilder()
                .setControllerSupportedProtocolVersions(versions)).build();
    }

    /** The notification types a Subscription's NotifType takes, as a user may spell them. */
    public static String notifType(String word) throws UsageException {
        for (String t : List.of("ValueChange", "ObjectCreation", "ObjectDeletion", "OperationComplete", "Event")) {
            if (t.equalsIgnoreCase(word)) {
                return t;
            }
        }
        throw new UsageException("unknown notification type '" + word
                + "': ValueChange, ObjectCreation, ObjectDeletion, OperationComplete or Event");
    }

    /** The Add of a {@code Device.LocalAgent.Subscription.} row that this controller's session owns. */
    public static UspMsg.Request addSubscription(String id, String notifType, List<String> references,
            boolean retry) {
        List<UspMsg.Add.CreateParamSetting> settings = new ArrayList<>();
        settings.add(setting("ID", id));
        settings.add(setting("NotifType", notifType));
        settings.add(setting("ReferenceList", String.join(",", references)));
        settings.add(setting("Enable", "true"));
        // Not persistent: the subscription belongs to this run of the tool (removed again on exit, and by the
        // agent's restart if the tool was killed before it could).
        settings.add(setting("Persistent", "false"));
        settings.add(setting("NotifRetry", Boolean.toString(retry)));
        return UspMsg.Request.newBuilder().setAdd(UspMsg.Add.newBuilder().setAllowPartial(false)
                .addCreateObjs(UspMsg.Add.CreateObject.newBuilder().setObjPath("Device.LocalAgent.Subscription.")
                        .addAllParamSettings(settings))).build();
    }

    private static UspMsg.Add.CreateParamSetting setting(String name, String value) {
        return UspMsg.Add.CreateParamSetting.newBuilder().setParam(name).setValue(value).setRequired(true).build();
    }

    private static void need(List<String> operands, String usage) throws UsageException {
        if (operands.isEmpty()) {
            throw new UsageException(usage);
        }
    }
}
