package dev.connect.agent.catalog;

/**
 * A check update for a check ID the agent does not know (Consul answers 404 with this message).
 */
public class UnknownCheckException extends IllegalArgumentException {

	UnknownCheckException(String checkId) {
		super("Unknown check ID \"" + checkId + "\". Ensure that the check ID is passed, not the check name.");
	}

}
