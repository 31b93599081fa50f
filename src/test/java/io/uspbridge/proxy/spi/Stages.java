package io.uspbridge.proxy.spi;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting for an adapter's answers in tests, with a bound. */
public final class Stages {

    private Stages() {
    }

    /** The stage's result; fails the test if it fails or takes more than ten seconds. */
    public static <T> T done(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Why the stage failed; fails the test if it completes normally, fails otherwise, or takes too long. */
    public static AdapterException.Reason failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AdapterException a) {
                return a.reason();
            }
            throw new AssertionError("failed with " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("no answer: " + e, e);
        }
        throw new AssertionError("completed normally");
    }
}
