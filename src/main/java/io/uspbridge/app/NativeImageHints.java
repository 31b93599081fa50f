package io.uspbridge.app;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;

/**
 * What a native image (the {@code native} profile, native/README.md) must keep that its closed-world analysis cannot
 * see: protobuf-java reaches generated message classes by reflection for descriptor-based calls ({@code toString()},
 * {@code getAllFields()}), and Paho loads its logger by class name. Nested classes are included. No effect on the
 * JVM build.
 */
@RegisterForReflection(targets = {UspMsg.class, UspRecord.class,
        org.eclipse.paho.mqttv5.client.logging.JSR47Logger.class, io.uspbridge.net.PahoJulLogger.class})
final class NativeImageHints {
    private NativeImageHints() {
    }
}
