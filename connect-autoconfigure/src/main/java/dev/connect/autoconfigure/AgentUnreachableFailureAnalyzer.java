package dev.connect.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up that got no certificate from the agent, and what to do about it.
 */
class AgentUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<AgentUnreachableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AgentUnreachableException cause) {
		String action = "Start an agent at " + cause.agent() + " (for development: "
				+ "'java -jar connect-agent.jar agent -dev'), or set 'connect.agent.url' (or CONSUL_HTTP_ADDR) to a "
				+ "running Consul agent. If the agent requires a token, set 'connect.agent.token' or CONSUL_HTTP_TOKEN.";
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
