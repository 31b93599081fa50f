package io.uspbridge.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How TLS records are laid into Records (E2E-15): whole ones share a Record, a too-large one is split. */
class SegmenterPackTest {
    private static ByteString bytes(int n) {
        return ByteString.copyFrom(new byte[n]);
    }

    @Test
    void wholeTlsRecordsShareARecordWhileTheyFitAndALargeOneIsSplitWithPayloadrecStates() {
        List<Segmenter.Packed> packed = Segmenter.pack(List.of(bytes(100), bytes(200), bytes(600), bytes(2500),
                bytes(50)), 1000);
        // 100, 200 and 600 share one Record: 100 + (200 + 6) + (600 + 6) = 912 bytes with the field overhead
        assertThat(packed.get(0).payloads()).hasSize(3);
        assertThat(packed.get(0).recState()).isEqualTo(PayloadSARState.NONE);
        // 2500 bytes: three pieces of its own, BEGIN, INPROCESS, COMPLETE
        assertThat(packed.subList(1, 4)).extracting(Segmenter.Packed::recState).containsExactly(
                PayloadSARState.BEGIN, PayloadSARState.INPROCESS, PayloadSARState.COMPLETE);
        assertThat(packed.subList(1, 4)).allSatisfy(p -> assertThat(p.payloads()).hasSize(1));
        assertThat(packed.get(1).payloads().get(0).size() + packed.get(2).payloads().get(0).size()
                + packed.get(3).payloads().get(0).size()).isEqualTo(2500);
        assertThat(packed.get(4).payloads()).containsExactly(bytes(50));
        assertThat(packed).hasSize(5);
    }

    @Test
    void aTlsRecordThatWouldOverflowTheCurrentRecordStartsTheNext() {
        List<Segmenter.Packed> packed = Segmenter.pack(List.of(bytes(600), bytes(600)), 1000);
        assertThat(packed).hasSize(2);
        assertThat(packed).allSatisfy(p -> {
            assertThat(p.payloads()).hasSize(1);
            assertThat(p.recState()).isEqualTo(PayloadSARState.NONE);
        });
    }
}
