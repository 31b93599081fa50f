package io.uspbridge.adapter.virtual;

import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/** A dimmable light, after TR-369's example: BinaryControl Switch and LevelControl Brightness 0–100 %. */
final class VirtualLight extends VirtualDevice {

    private static final CapabilityDescription SWITCH = control("switch", CapabilityClass.BINARY_CONTROL, "Switch",
            "Light switch", "", null, null, null, List.of());
    private static final CapabilityDescription BRIGHTNESS = control("brightness", CapabilityClass.LEVEL_CONTROL,
            "Brightness", "Brightness", "%", "0", "100", "10", List.of());

    private boolean on;
    private BigDecimal brightness = BigDecimal.valueOf(80);

    VirtualLight(String key, String name, SplittableRandom random) {
        super(key, name, random, "Light", "Virtual dimmable light", List.of(SWITCH, BRIGHTNESS));
        on = random.nextBoolean();
    }

    @Override
    CapabilityValue value(String capabilityKey) {
        return switch (capabilityKey) {
            case "switch" -> new CapabilityValue.Binary(on);
            case "brightness" -> new CapabilityValue.Level(brightness);
            default -> throw unknown(name, capabilityKey);
        };
    }

    @Override
    List<String> write(String capabilityKey, CapabilityValue value) {
        switch (capabilityKey) {
            case "switch" -> on = binary(value);
            case "brightness" -> {
                brightness = level(value, BRIGHTNESS);
                // Like a Zigbee light: setting a brightness above zero switches it on.
                if (brightness.signum() > 0 && !on) {
                    on = true;
                    return List.of("brightness", "switch");
                }
            }
            default -> throw unknown(name, capabilityKey);
        }
        return List.of(capabilityKey);
    }

    @Override
    List<String> tick(Duration elapsed) {
        return List.of();
    }
}
