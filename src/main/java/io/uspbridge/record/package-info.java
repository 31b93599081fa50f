/**
 * The USP Record layer (TR-369 "End to End Message Exchange"; digest sections 3 and 4): {@link
 * io.uspbridge.record.RecordLayer} checks every Record and carries Msgs in NoSessionContext Records or in End-to-End
 * Session Contexts.
 *
 * <h2>Session Contexts</h2>
 * One {@link io.uspbridge.record.SessionContext} per controller: a pure state machine (Down, Negotiating, Up; its
 * transitions declared in one table) whose inputs are received Records, Msgs to send and the clock, and whose output
 * is Records to send and Msgs to deliver. {@link io.uspbridge.record.SessionContexts} drives it for the record layer
 * with the controller's live {@code E2ESession.} settings ({@link io.uspbridge.record.E2ESettings}, read through
 * {@link io.uspbridge.record.ControllerDirectory}) and one timer per controller. It does sequencing and
 * acknowledgement (R-E2E.14–20), duplicates (R-E2E.25), gap requests with retransmit_id, retransmission of its own
 * Records up to MaxRetransmitTries, segmentation to MaxUSPRecordSize and reassembly, expiry (R-E2E.7), the
 * establishment retry algorithm (R-E2E.10–13) and restarts (R-E2E.21–24); {@code agent.E2ESessionModule} exposes
 * Status, CurrentRetryCount and Reset().
 *
 * <p>Memory per controller is bounded by {@link io.uspbridge.record.SessionLimits} (defaults: 4 MiB reassembly in at
 * most 16384 segments, 1024 early Records or 4 MiB, 8192 unacknowledged Records or 8 MiB): what would exceed a limit
 * fails the Record, and a failed Record restarts the context, which frees what it held.
 *
 * <p>Policies where the spec leaves a choice: a new session_id from the controller starts a new context whatever its
 * sequence_id (R-E2E.4/6; missing first Records are asked for like any gap); a restart opens a context with the
 * agent's own session_id and an empty Record with sequence_id 1, keeps the payload security of the old one and drops
 * its unacknowledged Records (R-E2E.22 leaves this to the originator); a restart and Reset() send no Disconnect
 * (7105 is for ending a context: SessionMode Forbid, Reset() under Forbid); in Allow mode the agent starts no
 * context for its own Msgs but answers a request in a context (REC-1) and restarts a context it had (R-E2E.21); a
 * retransmit request waits the SessionRetry wait before it is sent (TP-469 3.11 fills a gap at once and expects no
 * Record meanwhile). After a Disconnect Record on an MQTT channel, a Connect Record goes before the next Record
 * (R-MTP.8).
 *
 * <h2>Payload security and integrity</h2>
 * PLAINTEXT is complete. The signature method of Record integrity ({@link io.uspbridge.record.RecordIntegrity},
 * R-E2E.29–32) is verified on every Record that carries a mac_signature, and added to every sent Record when the
 * agent is given a key ({@link io.uspbridge.record.RecordLayer#signWith}); the certificate's chain is not checked
 * against trust anchors, because {@code LocalAgent.Certificate.{i}} and {@code ControllerTrust.Credential.{i}} are
 * not in the model. Records without a signature are accepted whatever protects the MTP (section 13 policy, not
 * this layer's).
 *
 * <p><b>TLS12 payload security is not implemented</b>: a controller's TLS12 context is refused with a Disconnect
 * 7102, a TLS12 Record in a PLAINTEXT context restarts it (R-E2E.19), and a context the agent would start with
 * {@code PayloadSecurity = TLS} (the TR-181 default) is not started (the reason is logged, and Reset() fails with
 * it); a controller may still start a PLAINTEXT context. What remains:
 * <ol>
 * <li>an {@code SSLEngine} per context (the initiator is the TLS client; mutual X.509 authentication;
 * ECDHE-ECDSA-AES128-GCM-SHA256 and TLS_AES_128_GCM_SHA256 on secp256r1; no renegotiation, R-E2E.40–43), its TLS
 * records carried one payload each, TLS records larger than a Record split with payloadrec_sar_state (Reassembly
 * handles PLAINTEXT only: one payload a Record, both SAR states equal), Msgs held until the handshake is done,
 * handshake failure as a failed Record with the retry algorithm (TP-469 3.5);</li>
 * <li>the agent's key and a certificate naming {@code urn:bbf:usp:id:<agent endpoint id>}, and the section 13.5
 * certificate check and role determination (trust anchors and roles from ControllerTrust.Credential);</li>
 * <li>the HMAC integrity method after the handshake (R-E2E.33–39) needs the TLS keying-material exporter (RFC 5705 /
 * RFC 8446): Java 17's SSLEngine has none (JDK 25 adds {@code ExtendedSSLSession.exportKeyingMaterialData}); on
 * Java 17 it would take another TLS provider (BouncyCastle bctls).</li>
 * </ol>
 */
package io.uspbridge.record;
