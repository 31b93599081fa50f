package io.uspbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.proto.UspMsg;
import io.uspbridge.record.RecordCodec;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark honest: its hub is what it claims and each measured request gets the full answer. */
class GetBenchmarkTest {

    private static UspMsg.GetResp.RequestedPathResult answer(byte[] record) {
        UspMsg.Msg msg = RecordCodec.parseMsg(RecordCodec.parse(record).getNoSessionContext().getPayload());
        UspMsg.GetResp.RequestedPathResult r = msg.getBody().getResponse().getGetResp().getReqPathResults(0);
        assertThat(r.getErrCode()).as(r.getErrMsg()).isZero();
        return r;
    }

    @Test
    void theBenchmarkedRequestsAreAnsweredInFull() {
        GetBenchmark bench = new GetBenchmark();
        bench.setUp();
        UspMsg.GetResp.RequestedPathResult device = answer(bench.getWholeDevice());
        long devices = device.getResolvedPathResultsList().stream()
                .filter(r -> r.getResolvedPath().matches("Device\\.ProxiedDevice\\.\\d+\\.")).count();
        assertThat(devices).isEqualTo(GetBenchmark.DEVICES);
        int values = device.getResolvedPathResultsList().stream().mapToInt(r -> r.getResultParamsCount()).sum();
        assertThat(values).isGreaterThan(4000);
        assertThat(answer(bench.getDeviceInfo()).getResolvedPathResults(0).getResultParamsMap())
                .containsEntry("ModelName", "Raspberry Pi 4");
        assertThat(answer(bench.getEverySwitchValueBySearch()).getResolvedPathResultsList())
                .hasSize(GetBenchmark.DEVICES);
    }
}
