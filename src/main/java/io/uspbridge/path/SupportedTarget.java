package io.uspbridge.path;

import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;

/**
 * What a GetSupportedDM path names (GSDM-1).
 *
 * @param objectDef the supported object (for a parameter, command or event: the object holding it)
 * @param instance  null unless the path uses instance numbers; then the object the instance-numbered part ends at:
 *                  the addressed object itself ({@code Device.ProxiedDevice.3.}, {@code Device.ProxiedDevice.3.DeviceInfo.})
 *                  or, when a table of it is named with {@code {i}} or without instance
 *                  ({@code Device.ProxiedDevice.3.IoTCapability.{i}.}), the nearest object above that table.
 *                  {@code instance.def() == objectDef} tells the two apart
 * @param kind      OBJECT, or PARAMETER / COMMAND / EVENT when the path names one element (then GSDM returns only it)
 * @param leafName  {@code Enable}, {@code Reboot()}, {@code Boot!}; null for OBJECT
 */
public record SupportedTarget(ObjectDef objectDef, ObjectNode instance, PathKind kind, String leafName) {
}
