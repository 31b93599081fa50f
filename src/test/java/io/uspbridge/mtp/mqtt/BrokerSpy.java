package io.uspbridge.mtp.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.connack.ConnackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.connect.ConnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.disconnect.DisconnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.pingreq.PingReqInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.unsubscribe.UnsubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.Subscription;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A HiveMQ embedded extension that lets tests see and shape what an MQTT client and the broker say to each other:
 * CONNECT packets as received, CONNACK Response Information and {@code subscribe-topic} user properties, SUBACK
 * refusals for chosen filters, and a switch that holds a client's PUBLISHes (no PUBACK) until released. Shaping is
 * keyed by the {@code usp-endpoint-id} in CONNECT, so that tests sharing one broker stay apart.
 */
final class BrokerSpy implements ExtensionMain {

    /** A CONNECT as the broker saw it. */
    record Connect(String clientId, String endpointId, Map<String, String> userProperties, boolean cleanStart,
                   boolean requestResponseInformation, int keepAlive, String userName, String password,
                   String willTopic) {
    }

    /** One packet from a client. */
    record Event(String type, String clientId, String endpointId, List<String> details) {
    }

    /** What CONNACK should tell a client with this endpoint id. */
    record ConnackShape(String responseInformation, List<String> subscribeTopics) {
    }

    private final List<Connect> connects = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Map<String, String> endpointOfClient = new ConcurrentHashMap<>();
    private final Map<String, ConnackShape> shapes = new ConcurrentHashMap<>();
    private final Set<String> refusedFilters = ConcurrentHashMap.newKeySet();
    private final Set<String> holdingEndpoints = ConcurrentHashMap.newKeySet();
    private final List<Async<PublishInboundOutput>> held = new CopyOnWriteArrayList<>();

    EmbeddedExtension extension() {
        return EmbeddedExtension.builder().withId("usp-bridge-test-spy").withName("test spy").withVersion("1")
                .withExtensionMain(this).build();
    }

    void shapeConnack(String endpointId, String responseInformation, String... subscribeTopics) {
        shapes.put(endpointId, new ConnackShape(responseInformation, List.of(subscribeTopics)));
    }

    void refuseSubscriptionTo(String filter) {
        refusedFilters.add(filter);
    }

    void holdPublishesFrom(String endpointId) {
        holdingEndpoints.add(endpointId);
    }

    /** Lets held PUBLISHes through (the broker then sends their PUBACKs) and stops holding. */
    void releasePublishesFrom(String endpointId) {
        // Under the lock the interceptor holds while it decides: a PUBLISH arriving during the release is either
        // held and resumed here, or not held at all — never held after the release and stuck for 60 s.
        synchronized (held) {
            holdingEndpoints.remove(endpointId);
            for (Async<PublishInboundOutput> a : held) {
                a.resume();
            }
            held.clear();
        }
    }

    int heldPublishes() {
        return held.size();
    }

    List<Connect> connectsFrom(String endpointId) {
        return connects.stream().filter(c -> endpointId.equals(c.endpointId())).toList();
    }

    List<Event> eventsFrom(String endpointId, String type) {
        return events.stream().filter(e -> endpointId.equals(e.endpointId()) && e.type().equals(type)).toList();
    }

    /** All topic filters the client with this endpoint id sent in SUBSCRIBE packets, in order. */
    List<String> subscribedFilters(String endpointId) {
        List<String> out = new ArrayList<>();
        for (Event e : eventsFrom(endpointId, "SUBSCRIBE")) {
            out.addAll(e.details());
        }
        return out;
    }

    @Override
    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
        ConnectInboundInterceptor onConnect = (input, output) -> {
            ConnectPacket p = input.getConnectPacket();
            Map<String, String> props = new java.util.LinkedHashMap<>();
            for (UserProperty up : p.getUserProperties().asList()) {
                props.put(up.getName(), up.getValue());
            }
            String endpoint = props.getOrDefault(MqttMtp.USER_PROPERTY_ENDPOINT_ID, "");
            String clientId = input.getClientInformation().getClientId();
            endpointOfClient.put(clientId, endpoint);
            connects.add(new Connect(p.getClientId(), endpoint, props, p.getCleanStart(),
                    p.getRequestResponseInformation(), p.getKeepAlive(), p.getUserName().orElse(null),
                    p.getPassword().map(b -> StandardCharsets.UTF_8.decode(b).toString()).orElse(null),
                    p.getWillPublish().map(w -> w.getTopic()).orElse(null)));
        };
        ConnackOutboundInterceptor onConnack = (input, output) -> {
            String endpoint = endpointOfClient.get(input.getClientInformation().getClientId());
            ConnackShape shape = endpoint == null ? null : shapes.get(endpoint);
            if (shape != null) {
                if (shape.responseInformation() != null) {
                    output.getConnackPacket().setResponseInformation(shape.responseInformation());
                }
                for (String t : shape.subscribeTopics()) {
                    output.getConnackPacket().getUserProperties().addUserProperty(
                            MqttMtp.USER_PROPERTY_SUBSCRIBE_TOPIC, t);
                }
            }
        };
        Services.interceptorRegistry().setConnectInboundInterceptorProvider(i -> onConnect);
        Services.interceptorRegistry().setConnackOutboundInterceptorProvider(i -> onConnack);

        SubscribeInboundInterceptor onSubscribe = (input, output) -> {
            String clientId = input.getClientInformation().getClientId();
            List<String> filters = input.getSubscribePacket().getSubscriptions().stream()
                    .map(Subscription::getTopicFilter).toList();
            record(clientId, "SUBSCRIBE", filters);
        };
        UnsubscribeInboundInterceptor onUnsubscribe = (input, output) -> record(
                input.getClientInformation().getClientId(), "UNSUBSCRIBE",
                input.getUnsubscribePacket().getTopicFilters());
        DisconnectInboundInterceptor onDisconnect = (input, output) -> record(
                input.getClientInformation().getClientId(), "DISCONNECT",
                List.of(input.getDisconnectPacket().getReasonCode().name()));
        PingReqInboundInterceptor onPing = (input, output) -> record(
                input.getClientInformation().getClientId(), "PINGREQ", List.of());
        PublishInboundInterceptor onPublish = (input, output) -> {
            String clientId = input.getClientInformation().getClientId();
            var p = input.getPublishPacket();
            record(clientId, "PUBLISH", List.of(p.getTopic(), p.getQos().name(), String.valueOf(p.getRetain()),
                    p.getContentType().orElse(""), p.getResponseTopic().orElse("")));
            String endpoint = endpointOfClient.get(clientId);
            synchronized (held) {
                if (endpoint != null && holdingEndpoints.contains(endpoint)) {
                    held.add(output.async(Duration.ofSeconds(60), TimeoutFallback.SUCCESS));
                }
            }
        };
        // Refusals come from an authorizer: HiveMQ does not let a SUBACK interceptor turn success into failure.
        SubscriptionAuthorizer authorizer = (input, output) -> {
            if (refusedFilters.contains(input.getSubscription().getTopicFilter())) {
                output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED);
            } else {
                output.authorizeSuccessfully();
            }
        };
        Services.securityRegistry().setAuthorizerProvider(i -> authorizer);
        Services.initializerRegistry().setClientInitializer((init, ctx) -> {
            ctx.addSubscribeInboundInterceptor(onSubscribe);
            ctx.addUnsubscribeInboundInterceptor(onUnsubscribe);
            ctx.addDisconnectInboundInterceptor(onDisconnect);
            ctx.addPingReqInboundInterceptor(onPing);
            ctx.addPublishInboundInterceptor(onPublish);
        });
    }

    private void record(String clientId, String type, List<String> details) {
        events.add(new Event(type, clientId, endpointOfClient.getOrDefault(clientId, ""), List.copyOf(details)));
    }

    @Override
    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
    }
}
