package io.uspbridge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Enumerations that take TR-106 vendor values ({@code X_<VENDOR>_<Name>}) besides their own. */
class ValueTypeVendorValuesTest {

    private static final ValueType PROTOCOL = ValueType.enumeration("Z-Wave", "ZigBee", "UPnP-DM");

    @Test
    void aPlainEnumerationRefusesVendorValues() {
        assertThatThrownBy(() -> PROTOCOL.canonical("X_USPBRIDGE-IO_Virtual"))
                .isInstanceOfSatisfying(ModelException.class, e -> assertThat(e.code()).isEqualTo(7012));
        assertThat(PROTOCOL.allowsVendorValues()).isFalse();
    }

    @Test
    void anExtensibleEnumerationTakesDomainAndOuiVendorValues() {
        ValueType t = PROTOCOL.vendorValues();
        assertThat(t.canonical("ZigBee")).isEqualTo("ZigBee");
        assertThat(t.canonical("X_USPBRIDGE-IO_Virtual")).isEqualTo("X_USPBRIDGE-IO_Virtual");
        assertThat(t.canonical("X_00D09E_BLE")).isEqualTo("X_00D09E_BLE");
        assertThat(t.allowsVendorValues()).isTrue();
        // Facets set afterwards keep it.
        assertThat(t.named("Protocol").accepts("X_00D09E_BLE")).isTrue();
    }

    @Test
    void malformedVendorValuesAndUnknownPlainValuesAreRefused() {
        ValueType t = PROTOCOL.vendorValues();
        for (String bad : new String[] {"Bluetooth", "X_BLE", "X_uspbridge-io_Virtual", "X_USPBRIDGE_Virtual",
                "X_00D09E_", "X_00d09e_BLE", "x_00D09E_BLE"}) {
            assertThat(t.accepts(bad)).as(bad).isFalse();
        }
    }

    @Test
    void listItemsOfAnExtensibleEnumerationMayBeVendorValues() {
        ValueType t = ValueType.enumeration("A", "B").vendorValues().list();
        assertThat(t.canonical("A, X_00D09E_C")).isEqualTo("A,X_00D09E_C");
        assertThat(t.itemType().allowsVendorValues()).isTrue();
    }
}
