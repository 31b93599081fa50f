package io.uspbridge.adapter.virtual;

import java.time.Duration;

/**
 * Which simulated devices the virtual adapter offers, for demos and tests, and how they behave.
 *
 * @param lights         dimmable lights (BinaryControl Switch, LevelControl Brightness 0–100 %)
 * @param climateSensors temperature/humidity sensors (LevelSensor Temperature degC, Humidity %, Battery %)
 * @param plugs          metering plugs (BinaryControl Switch, LevelSensor Power W, Energy kWh that accumulates)
 * @param thermostats    thermostats (EnumControl ThermostatMode, LevelControl setpoint degC, LevelSensor
 *                       Temperature degC, EnumSensor OperatingState)
 * @param multiSensors   building-automation multisensors with eight capabilities (LevelSensor Temperature degC,
 *                       Humidity %, Luminance lx, Concentration CO2 ppm, Pressure Pa, Battery %; BinarySensor
 *                       MotionDetected, WindowOpen), for scale tests
 * @param reportInterval how often sensors report new readings; zero for no timer (readings change only on
 *                       {@link VirtualAdapter#tick()})
 * @param ackDelay       how long a device takes to report the state a write asked for
 * @param seed           makes every device's readings a fixed sequence (the same for the same seed, whatever the
 *                       timing); null for different readings each run
 * @param proxyProtocol  the vendor {@code ProxyProtocol} value these devices report (TR-106 {@code X_<VENDOR>_…})
 */
public record VirtualSettings(int lights, int climateSensors, int plugs, int thermostats, int multiSensors,
        Duration reportInterval, Duration ackDelay, Long seed, String proxyProtocol) {

    public static final String DEFAULT_PROXY_PROTOCOL = "X_USPBRIDGE-IO_Virtual";

    public VirtualSettings {
        if (lights < 0 || climateSensors < 0 || plugs < 0 || thermostats < 0 || multiSensors < 0) {
            throw new IllegalArgumentException("device counts must not be negative");
        }
        if ((long) lights + climateSensors + plugs + thermostats + multiSensors > 100_000) {
            throw new IllegalArgumentException("more than 100000 virtual devices");
        }
        reportInterval = reportInterval == null ? Duration.ofSeconds(10) : reportInterval;
        ackDelay = ackDelay == null ? Duration.ofMillis(50) : ackDelay;
        if (reportInterval.isNegative() || ackDelay.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        proxyProtocol = proxyProtocol == null || proxyProtocol.isBlank() ? DEFAULT_PROXY_PROTOCOL : proxyProtocol;
    }

    /** One device of each kind, readings every 10 s, writes acknowledged after 50 ms. */
    public static VirtualSettings demo() {
        return new VirtualSettings(1, 1, 1, 1, 0, null, null, null, null);
    }

    /** {@code n} devices of each kind, e.g. 250 for a 1,000-device scale test. */
    public static VirtualSettings ofEach(int n) {
        return new VirtualSettings(n, n, n, n, 0, null, null, null, null);
    }

    /** {@code n} multisensors and nothing else: 1,000 of them are the 8,000-capability scale test. */
    public static VirtualSettings ofMultiSensors(int n) {
        return new VirtualSettings(0, 0, 0, 0, n, null, null, null, null);
    }

    public VirtualSettings withReportInterval(Duration interval) {
        return new VirtualSettings(lights, climateSensors, plugs, thermostats, multiSensors,
                interval, ackDelay, seed, proxyProtocol);
    }

    public VirtualSettings withAckDelay(Duration delay) {
        return new VirtualSettings(lights, climateSensors, plugs, thermostats, multiSensors,
                reportInterval, delay, seed, proxyProtocol);
    }

    public VirtualSettings withSeed(long s) {
        return new VirtualSettings(lights, climateSensors, plugs, thermostats, multiSensors,
                reportInterval, ackDelay, s, proxyProtocol);
    }

    public int total() {
        return lights + climateSensors + plugs + thermostats + multiSensors;
    }
}
