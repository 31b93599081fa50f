package io.uspbridge.record;

import java.util.List;

/**
 * What the record layer needs to know about controllers, answered from {@code Device.LocalAgent.Controller.{i}}
 * (implemented by the agent layer).
 */
public interface ControllerDirectory {

    /** How a sender is treated (13.3, 13.5, section 12). */
    enum Standing {
        /** A Controller row exists and is enabled. */
        TRUSTED,
        /** No Controller row: allowed only if the agent accepts unknown controllers (with the untrusted role). */
        UNKNOWN,
        /** A Controller row exists but Enable=false: no traffic (section 12). */
        DISABLED,
        /** Its AssignedRole is the BannedRole: traffic refused (13.7). */
        BANNED
    }

    /** An address to reach a controller with agent-initiated Records, from {@code Controller.{i}.MTP.{i}}. */
    record Route(String mtpReference, String address, int order, boolean retainResponse, boolean retainNotify) {
    }

    Standing standing(String endpointId);

    /** Whether Records from unknown controllers are processed (with the untrusted role) or dropped. */
    boolean acceptsUnknownControllers();

    /** Enabled routes to the controller, best (lowest Order) first; empty when none is configured. */
    List<Route> routes(String endpointId);

    /** Enabled controllers reachable over the MTP {@code mtpReference} (for MQTT Connect Records, REC-2). */
    List<String> controllersReachableVia(String mtpReference);

    /** The controller told us its reply-to address (MQTTConnectRecord.subscribed_topic). */
    void learnedAddress(String endpointId, String mtpReference, String address);

    /** The address a controller announced, when no route is configured (may be null). */
    String learnedAddress(String endpointId, String mtpReference);

    /** The controller's {@code Controller.{i}.E2ESession.} settings; the object defaults when it has no row. */
    default E2ESettings e2eSettings(String endpointId) {
        return E2ESettings.DEFAULT;
    }

    /**
     * The state of the controller's Session Context changed: {@code E2ESession.Status} and
     * {@code CurrentRetryCount} show it. Called on the agent loop, only on a change.
     */
    default void sessionStatus(String endpointId, SessionState state, int retryCount) {
    }
}
