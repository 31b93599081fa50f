package io.uspbridge.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Where the {@link StateStore} keeps its file and how long it gathers changes before writing them. */
@ConfigMapping(prefix = "uspbridge.store")
public interface StoreConfig {

    /** The SQLite file; its directory is created when missing. On a hub, e.g. /var/lib/uspbridge/state.db. */
    @WithDefault("data/uspbridge-state.db")
    Path path();

    /**
     * How long changes are gathered into one SQLite transaction. Longer means fewer writes to the SD card and a
     * longer window of changes a power cut can lose.
     */
    @WithDefault("200ms")
    Duration flushDelay();
}
