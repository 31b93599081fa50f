package io.uspbridge.adapter.zigbee2mqtt;

/**
 * How a Zigbee2MQTT unit becomes a TR-181 {@code IoTUnitType}, from the {@code units} table of the mapping
 * profiles.
 *
 * @param unit       the IoTUnitType value ({@code degC}, {@code Pa} …)
 * @param levelType  the IoTLevelType a feature with this unit usually measures (for rules with {@code "type":
 *                   "@unit"}), or null
 * @param conversion null when the number stays as it is
 * @param note       text added to the capability description when the unit has no exact IoTUnitType (e.g.
 *                   {@code µg/m³} reported with unit {@code -}), or null
 */
record UnitConversion(String unit, String levelType, NumberConversion conversion, String note) {
}
