package io.uspbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration contract (README, "Configuration"): factory defaults of the agent. Environment variables work
 * as usual ({@code USPBRIDGE_ENDPOINT_ID}). What controllers change at run time lives in the store and wins over
 * these values until {@code FactoryReset()}. The store's own keys ({@code uspbridge.store.*}) are mapped by
 * {@link io.uspbridge.store.StoreConfig}.
 */
@ConfigMapping(prefix = "uspbridge")
public interface AgentConfig {

    /** The agent's USP Endpoint ID (ARC-1); when absent, {@code self::usp-bridge-<host name>}. */
    Optional<String> endpointId();

    DeviceInfo deviceInfo();

    Mqtt mqtt();

    /** Controllers to trust, by a free name: {@code uspbridge.controllers."acs".endpoint-id=…}. */
    Map<String, Controller> controllers();

    Security security();

    /** End-to-End Session Contexts: the agent's material for TLS12 payload security. */
    E2e e2e();

    Messages messages();

    /** The device technologies the hub proxies ({@code Device.ProxiedDevice.{i}}). */
    Adapters adapters();

    /** How the proxy treats the devices behind the hub. */
    Proxy proxy();

    /** The operator's HTTP endpoints: health ({@code /q/health}) and Prometheus metrics ({@code /q/metrics}). */
    Http http();

    /** Identity of the hub in {@code Device.DeviceInfo.} (core subset). */
    interface DeviceInfo {
        @WithDefault("USP Bridge")
        String manufacturer();

        /** Six upper-case hex digits; none when the vendor has none. */
        Optional<String> manufacturerOui();

        @WithDefault("USP Bridge IoT Hub")
        String modelName();

        Optional<String> modelNumber();

        @WithDefault("USP Bridge: a TR-369 agent for IoT hubs")
        String description();

        @WithDefault("IoTHub")
        String productClass();

        /** Defaults to the host name. */
        Optional<String> serialNumber();

        /** Defaults to the machine architecture (e.g. aarch64). */
        Optional<String> hardwareVersion();

        Optional<String> friendlyName();

        Optional<String> provisioningCode();
    }

    interface Mqtt {
        /** Whether the agent has an MQTT MTP (Device.MQTT.Client.1 and Device.LocalAgent.MTP.1). */
        @WithDefault("true")
        boolean enabled();

        /** {@code tcp://host:port} or {@code ssl://host:port}. */
        @WithDefault("tcp://127.0.0.1:1883")
        String url();

        /** None: MQTT 5 lets the broker assign one, which the agent then keeps (R-MQTT.9). */
        Optional<String> clientId();

        Optional<String> username();

        Optional<String> password();

        Tls tls();

        /** The topic the agent listens on (ResponseTopicConfigured); default {@code usp/agent/<endpoint id>}. */
        Optional<String> agentTopic();

        @WithDefault("60")
        int keepAlive();

        @WithDefault("1")
        int publishQos();

        /** R-MQTT.10 retry: the first wait (s), the multiplier (1/1000) and the cap (s). */
        @WithDefault("5")
        int connectRetryTime();

        @WithDefault("2000")
        int connectRetryIntervalMultiplier();

        @WithDefault("30720")
        int connectRetryMaxInterval();

        EmbeddedBroker embeddedBroker();
    }

    interface Tls {
        /** PEM file of the CA certificate(s) that sign the broker's certificate. */
        Optional<String> caFile();

        /** PEM file of the agent's client certificate (chain). */
        Optional<String> certFile();

        /** PEM file of the agent's private key (PKCS#8). */
        Optional<String> keyFile();
    }

    /**
     * Health and metrics over HTTP. Loopback by default: nothing listens on a network interface the configuration
     * did not ask for. Port 0 takes a free port (tests).
     */
    interface Http {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("9580")
        int port();
    }

    /** An in-process MQTT 5 broker on loopback, for the demo and for a hub without a broker. */
    interface EmbeddedBroker {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("1883")
        int port();
    }

    interface Controller {
        String endpointId();

        /** The topic the controller listens on; agent-initiated Records (Notify) are published there. */
        Optional<String> mqttTopic();

        /** The Name of a ControllerTrust.Role; the shipped roles are full-access and untrusted. */
        @WithDefault("full-access")
        String role();
    }

    interface Security {
        /**
         * Whether Records from controllers without a Controller row are processed, with the untrusted role (13.5).
         * Off by default: an unknown sender gets no answer.
         */
        @WithDefault("false")
        boolean acceptUnknownControllers();
    }

    /**
     * TLS12 payload security in Session Contexts (digest §4.4, §13): all three files, or none (then a controller's
     * TLS12 context is refused with 7102 and {@code PayloadSecurity = TLS} starts no context).
     */
    interface E2e {
        /** PEM file of the agent's certificate (chain, leaf first): P-256 key, SAN {@code urn:bbf:usp:id:<id>}. */
        Optional<String> certificate();

        /** PEM file of the certificate's private key. */
        Optional<String> privateKey();

        /** PEM file of the CA certificates a controller's E2E TLS certificate must chain to. */
        Optional<String> trustAnchors();
    }

    interface Messages {
        /**
         * Delete of an instance that does not exist with allow_partial=false (digest section 17): {@code success}
         * answers an empty oper_success like TP-469 1.25; {@code error} answers an Error as R-DEL.1 (USP 1.4.1).
         */
        @WithName("delete-missing-instance")
        @WithDefault("success")
        String deleteMissingInstance();
    }

    interface Adapters {
        Zigbee2Mqtt zigbee2mqtt();

        Virtual virtual();
    }

    /** Zigbee through Zigbee2MQTT: the adapter's own MQTT connection to Zigbee2MQTT's broker. */
    interface Zigbee2Mqtt {
        @WithDefault("false")
        boolean enabled();

        /** Zigbee2MQTT's broker, which may differ from the USP broker: {@code tcp://…}, {@code ssl://…}. */
        @WithDefault("tcp://127.0.0.1:1883")
        String url();

        /** Zigbee2MQTT's {@code mqtt.base_topic}. */
        @WithDefault("zigbee2mqtt")
        String baseTopic();

        /** Default {@code uspbridge-zigbee2mqtt}; must be unique on that broker. */
        Optional<String> clientId();

        Optional<String> username();

        Optional<String> password();

        /** PEM files for an {@code ssl://} URL, as for the USP broker. */
        Tls tls();

        /** A folder of mapping profiles that add to or replace the built-in ones. */
        Optional<String> profileFolder();
    }

    /** Simulated devices for demos and tests. */
    interface Virtual {
        @WithDefault("false")
        boolean enabled();

        /** Dimmable lights. */
        @WithDefault("1")
        int lights();

        /** Temperature/humidity sensors. */
        @WithDefault("1")
        int climateSensors();

        /** Metering plugs. */
        @WithDefault("1")
        int plugs();

        @WithDefault("1")
        int thermostats();

        /** Eight-capability building-automation multisensors (for scale tests). */
        @WithDefault("0")
        int multiSensors();

        /** How often the sensors report new readings; 0 for never. */
        @WithDefault("PT10S")
        Duration reportInterval();

        /** How long a simulated device takes to acknowledge a write. */
        @WithDefault("PT0.05S")
        Duration ackDelay();

        /** Makes the readings a fixed sequence. */
        Optional<Long> seed();
    }

    interface Proxy {
        /**
         * How long a Set of a device's control value (and Toggle()/StepUp()/StepDown()) waits for the device to
         * acknowledge before the parameter fails with 7009.
         */
        @WithDefault("PT5S")
        Duration writeTimeout();
    }
}
