package io.logwarden.source;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up stopped by sources whose routes could not be made: each named with its reason, no stack trace. */
public class SourceRouteFailureAnalyzer extends AbstractFailureAnalyzer<SourceRouteException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SourceRouteException cause) {
        return new FailureAnalysis("The route of " + (cause.failures().size() == 1 ? "a configured source" : "configured sources")
                + " could not be made:\n\n  " + String.join("\n  ", cause.failures()),
                "Fix the route template in routes/sources/ (or the source's settings under logwarden.sources), then start"
                        + " again. Every source's route is made at start-up, so none runs missing.",
                cause);
    }
}
