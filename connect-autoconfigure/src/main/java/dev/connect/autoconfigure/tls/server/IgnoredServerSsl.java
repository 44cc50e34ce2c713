package dev.connect.autoconfigure.tls.server;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The {@code server.ssl.*} properties an application set next to the starter. The mesh server serves the SSL bundle
 * {@code connect} instead, so they have no effect (not even a missing key store is noticed): say so once, at
 * WARN, naming them.
 */
final class IgnoredServerSsl {

	static final String WARNING = "Ignoring %s: the mesh port serves mutual TLS from the SSL bundle 'connect' (this "
			+ "service's certificate from the agent) and requires a mesh certificate from every caller. To serve "
			+ "browsers or other clients outside the mesh with a certificate of your own, serve them from another "
			+ "application or port outside the mesh (docs/getting-started.md, 'Reaching the mesh from outside').";

	private static final Log logger = LogFactory.getLog(IgnoredServerSsl.class);

	private final List<String> names;

	private final AtomicBoolean warned = new AtomicBoolean();

	private IgnoredServerSsl(List<String> names) {
		this.names = names;
	}

	static IgnoredServerSsl in(Environment environment) {
		TreeSet<String> names = new TreeSet<>();
		if (environment instanceof ConfigurableEnvironment configurable) {
			for (PropertySource<?> source : configurable.getPropertySources()) {
				if (source instanceof EnumerablePropertySource<?> enumerable) {
					for (String name : enumerable.getPropertyNames()) {
						// Environment variables come as SERVER_SSL_KEY_STORE.
						if (name.toLowerCase(Locale.ROOT).replace('_', '.').startsWith("server.ssl.")) {
							names.add(name);
						}
					}
				}
			}
		}
		return new IgnoredServerSsl(List.copyOf(names));
	}

	List<String> names() {
		return this.names;
	}

	void warnOnce() {
		if (!this.names.isEmpty() && this.warned.compareAndSet(false, true)) {
			logger.warn(String.format(WARNING, String.join(", ", this.names)));
		}
	}

}
