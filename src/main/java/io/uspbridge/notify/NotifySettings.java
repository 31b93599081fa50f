package io.uspbridge.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * How the notification layer behaves where the spec leaves a choice.
 *
 * @param syncCommandTimeout        how long a synchronous command may run before its Operate reports it failed
 * @param maxQueuedPerController    most Notifies kept for one controller while no link reaches it (the oldest goes
 *                                  first when more arrive)
 * @param supportedProtocolVersions the USP versions named in OnBoardRequest, as GetSupportedProtocol answers
 * @param clock                     wall-clock time: CreationDate, TimeToLive, NotifExpiration, Periodic! phase,
 *                                  ScheduleTimer() due times
 * @param random                    the randomness of the Notify retry windows (R-NOT.2)
 */
public record NotifySettings(Duration syncCommandTimeout, int maxQueuedPerController,
        String supportedProtocolVersions, Clock clock, RandomGenerator random) {

    /** The USP versions this agent speaks (the 1.4 schema, compatible with 1.0–1.3). */
    public static final String USP_VERSIONS = "1.0,1.1,1.2,1.3,1.4";

    public NotifySettings {
        Objects.requireNonNull(syncCommandTimeout, "syncCommandTimeout");
        Objects.requireNonNull(supportedProtocolVersions, "supportedProtocolVersions");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (syncCommandTimeout.isNegative() || syncCommandTimeout.isZero()) {
            throw new IllegalArgumentException("syncCommandTimeout must be positive");
        }
        if (maxQueuedPerController <= 0) {
            throw new IllegalArgumentException("maxQueuedPerController must be positive");
        }
    }

    /** For a hub: commands get 30 s, and up to 10,000 Notifies wait per unreachable controller (a few MB at most). */
    public static NotifySettings defaults() {
        return new NotifySettings(Duration.ofSeconds(30), 10_000, USP_VERSIONS, Clock.systemUTC(),
                new SplittableRandom());
    }

    public NotifySettings withClock(Clock c) {
        return new NotifySettings(syncCommandTimeout, maxQueuedPerController, supportedProtocolVersions, c, random);
    }

    public NotifySettings withRandom(RandomGenerator r) {
        return new NotifySettings(syncCommandTimeout, maxQueuedPerController, supportedProtocolVersions, clock, r);
    }

    public NotifySettings withSyncCommandTimeout(Duration t) {
        return new NotifySettings(t, maxQueuedPerController, supportedProtocolVersions, clock, random);
    }

    public NotifySettings withMaxQueuedPerController(int n) {
        return new NotifySettings(syncCommandTimeout, n, supportedProtocolVersions, clock, random);
    }
}
