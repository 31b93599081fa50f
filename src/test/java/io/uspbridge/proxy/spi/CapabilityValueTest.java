package io.uspbridge.proxy.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityValueTest {

    @Test
    void equalNumbersAreEqualLevels() {
        assertThat(CapabilityValue.Level.of(40)).isEqualTo(new CapabilityValue.Level(new BigDecimal("40.00")));
        assertThat(CapabilityValue.Level.of(40).value().toPlainString()).isEqualTo("40");
        // Never an exponent: 101320, not 1.0132E+5.
        assertThat(new CapabilityValue.Level(new BigDecimal("101320.0")).value().toString()).isEqualTo("101320");
        assertThat(CapabilityValue.Level.of(21.5).value().toString()).isEqualTo("21.5");
        assertThat(CapabilityValue.Level.of(0).value().toString()).isEqualTo("0");
    }

    @Test
    void commandArgumentsSayWhatTheyHold() {
        AdapterCommandSpec.Argument plain = new AdapterCommandSpec.Argument("Name", true, "a name");
        assertThat(plain.kind()).isEqualTo(AdapterCommandSpec.Kind.STRING);
        assertThat(plain.defaultValue()).isEmpty();
        AdapterCommandSpec spec = new AdapterCommandSpec("RemoveDevice", "", List.of(
                new AdapterCommandSpec.Argument("Device", AdapterCommandSpec.Kind.DEVICE, true, null, null)),
                List.of(), false);
        assertThat(spec.inputs().get(0).kind()).isEqualTo(AdapterCommandSpec.Kind.DEVICE);
    }
}
