package io.uspbridge.path;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import java.util.function.Function;

/**
 * Turns a reference value a controller writes into the canonical form the agent stores and reports (PATH-8,
 * R-ARC.11): the instance-number path without trailing dot. Accepts instance paths ({@code Device.LocalAgent.Controller.2}
 * or {@code ...2.}) and unique-key addresses ({@code Device.LocalAgent.Controller.[EndpointID=="proto::c1"]}), also
 * nested ({@code ...Controller.[Alias=="a"].MTP.[Alias=="m"]}), and paths of one parameter
 * ({@code Device.LocalAgent.Controller.1.Enable}) for parameter references. Searches and wildcards are refused: a
 * reference names one thing.
 *
 * <p>Install it with {@code model.setReferenceResolver(new ReferenceResolver(model))}. Failures are
 * {@link ModelException}s with 7012 (invalid value); the transaction decides whether that matters (a weak reference may
 * dangle, a strong one may not).
 */
public final class ReferenceResolver implements Function<String, String> {
    private final PathResolver resolver;

    public ReferenceResolver(DataModel model) {
        this.resolver = new PathResolver(model);
    }

    @Override
    public String apply(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw invalid(raw == null ? "" : raw, "an empty reference names nothing");
        }
        boolean dotted = raw.endsWith(".");
        ModelException objectFailure;
        try {
            return asObject(raw, Path.parse(dotted ? raw : raw + "."));
        } catch (ModelException e) {
            objectFailure = e;
        }
        if (!dotted) {
            // Not an object: perhaps a parameter (references with targetType parameter).
            Path p;
            try {
                p = Path.parse(raw);
            } catch (ModelException e) {
                throw asInvalid(raw, objectFailure);
            }
            if (p.kind() == PathKind.PARAMETER) {
                Resolution r;
                try {
                    r = resolver.resolve(p, ReadAccess.ALL);
                } catch (ModelException e) {
                    throw asInvalid(raw, objectFailure);
                }
                checkAddress(raw, r);
                if (r.objects().size() == 1) {
                    return r.objects().get(0).path() + p.leafName();
                }
            }
        }
        throw asInvalid(raw, objectFailure);
    }

    private static ModelException asInvalid(String raw, ModelException e) {
        return e.error() == ErrorCode.INVALID_VALUE ? e : invalid(raw, e.getMessage());
    }

    private String asObject(String raw, Path p) {
        Resolution r = resolver.resolve(p, ReadAccess.ALL);
        checkAddress(raw, r);
        if (r.isTablePath()) {
            throw invalid(raw, "it names a table, not one of its rows");
        }
        return single(raw, r).referencePath();
    }

    private static void checkAddress(String raw, Resolution r) {
        if (r.search()) {
            throw invalid(raw, "a reference must name one object: wildcards and search expressions are not allowed"
                    + " (unique-key addressing is)");
        }
    }

    private static ObjectNode single(String raw, Resolution r) {
        if (r.objects().isEmpty()) {
            throw invalid(raw, "it does not name an existing object");
        }
        if (r.objects().size() > 1) {
            throw invalid(raw, "it names " + r.objects().size() + " objects (a functional key shared by disabled rows)");
        }
        return r.objects().get(0);
    }

    private static ModelException invalid(String raw, String why) {
        String shown = Path.excerpt(raw);
        return new ModelException(ErrorCode.INVALID_VALUE, "'" + shown + "' is not a valid reference: " + why);
    }
}
