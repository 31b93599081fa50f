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
 * <p><b>TLS12 payload security</b> (digest §4.4) is offered when the agent has E2E TLS material
 * ({@code uspbridge.e2e.certificate}, {@code private-key}, {@code trust-anchors}: PEM files, loaded by
 * {@code agent.E2ESessionModule} into {@link io.uspbridge.security.EndpointTls} and given to
 * {@link io.uspbridge.record.RecordLayer#e2eTls}); without it a controller's TLS12 context is refused with a
 * Disconnect 7102 and a context the agent would start with {@code PayloadSecurity = TLS} (the TR-181 default) is not
 * started (logged; Reset() fails with the reason). With it:
 * <ul>
 * <li>each TLS12 context has one {@code SSLEngine} ({@link io.uspbridge.record.E2ETls}); the side that started the
 * context is the TLS client (R-E2E.43); TLS 1.2 with ECDHE-ECDSA-AES128-GCM-SHA256 or TLS 1.3 with
 * TLS_AES_128_GCM_SHA256, group secp256r1, ECDSA P-256/SHA-256 signatures, mutual X.509 (R-E2E.40/40a/40b). The
 * engines are BouncyCastle's JSSE ones (bctls): on Java 17 only they can be restricted to secp256r1 per engine.
 * Renegotiation is refused with a no_renegotiation alert (R-E2E.42, TP-469 3.6);</li>
 * <li>the controller's certificate must name its Endpoint ID (the Records' from_id) in its subjectAltName
 * ({@code urn:bbf:usp:id:…}, or the fqdn dNSName; SEC-2, R-SEC.0a) and chain to one of the trust anchors (PKIX,
 * dates included; section 13.5 for a controller not stored by certificate);</li>
 * <li>TLS records travel in the Records' payloads: whole TLS records share a Record while they fit, one larger than
 * a Record is split with payloadrec_sar_state, and a Msg's Records carry payload_sar_state
 * ({@link io.uspbridge.record.Segmenter#pack}, E2E-15). Received payloads are one TLS byte stream (TLS records
 * delimit themselves); the application data is reassembled into Msgs by payload_sar_state with the same bounds as
 * PLAINTEXT;</li>
 * <li>Msgs to send wait until the handshake is done (bounded by the unacknowledged-bytes limit); a failed handshake
 * sends the TLS alert in its context, then a new context starts after the R-E2E.10 retry wait with a growing
 * CurrentRetryCount, which returns to 0 when a handshake completes (TP-469 3.5); a failure after the handshake is a
 * failed Record (restart, R-E2E.21). A restart keeps the Msgs that waited for the handshake.</li>
 * </ul>
 * What remains:
 * <ol>
 * <li><b>the HMAC integrity method</b> after the handshake (R-E2E.33–39, INT-3, TP-469 3.4) needs the TLS
 * keying-material exporter (RFC 5705 / RFC 8446), and no SSLEngine gives it on Java 17: the JDK's has none (JDK 25
 * adds {@code ExtendedSSLSession.exportKeyingMaterialData}), and BouncyCastle's JSSE 1.84 computes it only inside
 * the handshake (its {@code exportKeyingMaterialData} throws before Java 25; its connection's exporter fails after the
 * handshake because the secrets are erased then). The agent therefore signs the Records of a TLS12 context with the
 * signature method when it signs at all, and a received 32-octet HMAC fails the integrity check (the Record is
 * ignored and the context restarts, R-E2E.23). Doing it on Java 17 means BouncyCastle's own TLS API
 * ({@code org.bouncycastle.tls.TlsClientProtocol}/{@code TlsServerProtocol} in non-blocking mode, whose
 * {@code notifyHandshakeComplete()} can export) instead of an SSLEngine, or Java 25;</li>
 * <li>stored controller certificates, {@code ControllerTrust.Credential} roles for the TLS certificate and
 * trust-on-first-use (section 13.5): trust comes from the configured anchors only, and the role stays the
 * controller's configured one;</li>
 * <li>the E2E TLS session does not yet authenticate the controller for section 13.3 (a Record in an established
 * E2E TLS session is processed like any other: integrity as above, then the controller's standing).</li>
 * </ol>
 */
package io.uspbridge.record;
