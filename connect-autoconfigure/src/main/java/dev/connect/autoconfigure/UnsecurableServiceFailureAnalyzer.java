package dev.connect.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a configuration the starter refused because it cannot secure it, with the setting to change.
 */
class UnsecurableServiceFailureAnalyzer extends AbstractFailureAnalyzer<UnsecurableServiceException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnsecurableServiceException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
