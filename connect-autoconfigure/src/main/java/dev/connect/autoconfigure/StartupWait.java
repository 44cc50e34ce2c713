package dev.connect.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import dev.connect.client.AgentCertificateSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Exceptions;

/**
 * Waits at start-up for this service's first certificate and roots, saying every few seconds what it waits for:
 * the agent's address, the last error and the time left, instead of a silent wait.
 */
final class StartupWait {

	static final Duration STEP = Duration.ofSeconds(5);

	static final String WAITING = "Waiting for the certificate of service '%s' from the agent at %s (%d s left): %s";

	private static final Log logger = LogFactory.getLog(StartupWait.class);

	private StartupWait() {
	}

	/**
	 * Blocks until the source has its first snapshot.
	 * @param source the certificate source
	 * @param agent the agent's address, for messages
	 * @param service the service name, for messages
	 * @param timeout how long to wait in all
	 * @throws RuntimeException when nothing valid arrived within the timeout
	 */
	static void until(AgentCertificateSource source, URI agent, String service, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			Duration step = (left < STEP.toNanos()) ? Duration.ofNanos(Math.max(1, left)) : STEP;
			try {
				source.ready(step).block();
				return;
			}
			catch (RuntimeException ex) {
				if (!(Exceptions.unwrap(ex) instanceof TimeoutException) || System.nanoTime() >= deadline) {
					throw ex;
				}
				String problem = (source.lastProblem() != null) ? source.lastProblem() : "no answer yet";
				long seconds = Math.max(0, Duration.ofNanos(deadline - System.nanoTime()).toSeconds());
				logger.info(String.format(WAITING, service, agent, seconds, problem));
			}
		}
	}

}
