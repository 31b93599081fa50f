package io.uspbridge.message;

import io.uspbridge.security.Permissions;

/**
 * Who asks: the controller's Endpoint ID and what it may do (checked before acting, R-SEC.1), and the msg_id of the
 * request (for logs and for Request rows).
 */
public record RequestContext(String controller, Permissions permissions, String msgId) {
}
