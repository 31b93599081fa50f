/**
 * What the message layer hands to the record layer: an outgoing Msg as its exact size and bytes
 * ({@link io.uspbridge.wire.OutgoingMsg}). Both layers see it; neither depends on the other through it.
 */
package io.uspbridge.wire;
