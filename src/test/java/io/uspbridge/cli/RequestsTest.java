package io.uspbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** usp-ctl's Name=Value words: '=' and '.' inside a search expression belong to the path. */
class RequestsTest {

    @Test
    void theFirstEqualsSignOutsideASearchSplitsNameAndValue() throws Exception {
        Requests.Assignment a = Requests.Assignment.parse("Device.X.[Name==\"a=b\"&&Id>2].Value=v=w");
        assertThat(a.path()).isEqualTo("Device.X.[Name==\"a=b\"&&Id>2].Value");
        assertThat(a.value()).isEqualTo("v=w");
        assertThat(Requests.Assignment.parse("Device.A.B=").value()).isEmpty();
    }

    @Test
    void theLastDotOutsideASearchSplitsObjectAndParameter() throws Exception {
        Requests.Assignment a = Requests.Assignment.parse("Device.X.[Name==\"a.b]\"].Value=1");
        assertThat(a.objectAndParameter()).containsExactly("Device.X.[Name==\"a.b]\"].", "Value");
        assertThat(Requests.Assignment.parse("Device.LocalAgent.Controller.1.Alias=x").objectAndParameter())
                .containsExactly("Device.LocalAgent.Controller.1.", "Alias");
    }

    @Test
    void wordsThatAreNoAssignmentAreRefused() throws Exception {
        assertThatThrownBy(() -> Requests.Assignment.parse("Device.A.B")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Requests.Assignment.parse("=v")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Requests.Assignment.parse("Device.X.[A==\"=\"]")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Requests.Assignment.parse("Device.A.=v").objectAndParameter())
                .isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> Requests.Assignment.parse("Name=v").objectAndParameter())
                .isInstanceOf(UsageException.class);
    }
}
