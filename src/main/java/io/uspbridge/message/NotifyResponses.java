package io.uspbridge.message;

/**
 * Where a controller's answers to the agent's Notify messages go (the notification engine): a NotifyResp, or an
 * Error sent in reply to a Notify. Both are matched by msg_id (NOT-3).
 */
public interface NotifyResponses {
    NotifyResponses NONE = new NotifyResponses() {
    };

    default void onNotifyResponse(String controller, String msgId) {
    }

    default void onNotifyError(String controller, String msgId, int errCode, String errMsg) {
    }
}
