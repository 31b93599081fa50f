/**
 * The MQTT 5 MTP (TR-369 MQTT binding, AGENT-REQUIREMENTS.md §10.1) and an embedded broker for the demo mode and tests.
 *
 * <pre>
 *  agent / record layer
 *     │ publish(topic, bytes, retain) → CompletionStage        ▲ recordReceived(bytes, responseTopic, topic)
 *     ▼                                                         │ statusChanged(MqttLinkStatus), clientIdAssigned
 *  MqttMtp ── control thread: ConnectionStateMachine, SubscriptionPlan (MQTT-4), ConnectRetryPolicy (R-MQTT.10)
 *     │  └─ PublishSender: bounded queue + sender thread, Receive-Maximum window
 *     ▼
 *  Paho MqttAsyncClient (one per connection attempt, memory persistence, KeepAlivePinger)
 *     ▼
 *  TCP or TLS (io.uspbridge.security.TlsClientContext, PEM files)
 * </pre>
 *
 * Settings map one to one onto TR-181: {@link io.uspbridge.mtp.mqtt.MqttClientSettings} is a
 * {@code Device.MQTT.Client.{i}} row, {@link io.uspbridge.mtp.mqtt.MqttMtpSettings} adds the
 * {@code LocalAgent.MTP.{i}.MQTT.} parameters, the Endpoint ID and the TLS files. The layer knows bytes and topics,
 * never USP messages or the data model.
 */
package io.uspbridge.mtp.mqtt;
