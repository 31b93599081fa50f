package io.uspbridge.mtp;

/** Where MTP bindings announce the channels they run, so the record layer can send over them by reference. */
public interface ChannelRegistry {
    void registerChannel(MtpChannel channel);

    void unregisterChannel(MtpChannel channel);
}
