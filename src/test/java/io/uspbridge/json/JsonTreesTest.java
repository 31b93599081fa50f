package io.uspbridge.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String DOC = "{\"format\":1,\"adapter\":\"virtual\",\"instance\":12,\"big\":12345678901,"
            + "\"huge\":123456789012345678901234567890,\"ratio\":-0.25,\"on\":true,\"off\":false,\"none\":null,"
            + "\"text\":\"a \\\"quoted\\\" \\u00e9t\\u00e9 \\n line\",\"nodes\":{\"ep1\":1,\"ep2\":2},"
            + "\"list\":[\"a\",1,[],{},[{\"x\":[null]}]],\"empty\":{}}";

    @Test
    void readsWhatJacksonsObjectMapperReads() throws Exception {
        assertThat(JsonTrees.read(DOC)).isEqualTo(MAPPER.readTree(DOC));
    }

    @Test
    void writesTheTextJacksonsObjectMapperWrites() throws Exception {
        JsonNode tree = MAPPER.readTree(DOC);
        assertThat(JsonTrees.write(tree)).isEqualTo(MAPPER.writeValueAsString(tree));
        assertThat(JsonTrees.read(JsonTrees.write(tree))).isEqualTo(tree);
    }

    @Test
    void writesAMapOfStringsInItsOrder() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Device.DeviceInfo.SoftwareVersion", "1.0 \"beta\"");
        values.put("Device.A.", "é\u0001");
        String text = JsonTrees.write(values);
        assertThat(text).isEqualTo(MAPPER.writeValueAsString(values));
        assertThat(text).startsWith("{\"Device.DeviceInfo.SoftwareVersion\"");
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        assertThatThrownBy(() -> JsonTrees.read("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":1} {")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonTrees.read("{a:1}")).isInstanceOf(IllegalArgumentException.class);
    }
}
