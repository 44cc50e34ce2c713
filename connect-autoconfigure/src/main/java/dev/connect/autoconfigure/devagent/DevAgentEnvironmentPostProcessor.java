package dev.connect.autoconfigure.devagent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.function.Predicate;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.client.AgentClientSettings;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * For local development only, and off by default: with {@code connect.dev-agent.enabled=true}, when no agent answers
 * at the agent address ({@code connect.agent.url}, else {@code CONSUL_HTTP_ADDR}, else
 * {@code http://127.0.0.1:8500}), starts an in-process dev agent there (on a free port if that one is taken) and
 * points the application at it, so a single app runs with {@code ./mvnw spring-boot:run} and nothing else. It is
 * a development CA whose keys live in memory, and it says so loudly. It stops with the application. It never starts
 * for an address that is not on this machine's loopback interface.
 */
final class DevAgentEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String ENABLED = "connect.dev-agent.enabled";

	static final String SOURCE_NAME = "connectDevAgent";

	private static final String AGENT_CLASS = "dev.connect.agent.DevAgent";

	private final Log logger;

	private final Predicate<URI> answers;

	/**
	 * Creates the post-processor that probes the agent address with a TCP connection. Public, and the only public
	 * constructor, because that is the one Spring's factories loader picks when a class has several.
	 * @param logs Boot's deferred logs
	 */
	public DevAgentEnvironmentPostProcessor(DeferredLogFactory logs) {
		this(logs, DevAgentEnvironmentPostProcessor::answers);
	}

	/**
	 * Creates the post-processor with the check of whether something answers at the agent address.
	 */
	DevAgentEnvironmentPostProcessor(DeferredLogFactory logs, Predicate<URI> answers) {
		this.logger = logs.getLog(DevAgentEnvironmentPostProcessor.class);
		this.answers = answers;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(ENABLED, Boolean.class, false)) {
			return;
		}
		if (!ClassUtils.isPresent(AGENT_CLASS, application.getClassLoader())) {
			throw new IllegalStateException(ENABLED + "=true needs the dev agent on the classpath: add the dependency "
					+ "dev.connect:connect-agent (for example in a development-only profile), or set " + ENABLED
					+ "=false and start an agent yourself");
		}
		URI address = address(environment);
		if (this.answers.test(address)) {
			this.logger.info("An agent answers at " + address + "; " + ENABLED + " starts none");
			return;
		}
		if (!isLoopback(address.getHost())) {
			throw new IllegalStateException("No agent answers at " + address + ", and " + ENABLED
					+ " starts a dev agent only on this machine's loopback address, not on '" + address.getHost()
					+ "': start the agent, or point connect.agent.url at http://127.0.0.1:<port>");
		}
		String agentAddress = Starter.start(address.getPort(), application);
		environment.getPropertySources()
			.addFirst(new MapPropertySource(SOURCE_NAME, Map.of("connect.agent.url", agentAddress)));
		this.logger.warn("Started an in-process Connect DEV AGENT at " + agentAddress + " (" + ENABLED
				+ "=true). It is a DEVELOPMENT CA: its keys live in memory, intentions deny by default, and it is "
				+ "no cluster. Never use it in production.");
	}

	@Override
	public int getOrder() {
		// After the config data is loaded (connect.agent.url and connect.dev-agent.enabled may come from it).
		return Ordered.LOWEST_PRECEDENCE;
	}

	/** The address the app will use: {@code connect.agent.url}, else Consul's variable, read as the client reads it. */
	static URI address(ConfigurableEnvironment environment) {
		String url = environment.getProperty("connect.agent.url", "");
		if (url.isBlank()) {
			url = environment.getProperty("CONSUL_HTTP_ADDR", "");
		}
		URI address = url.isBlank() ? AgentClientSettings.defaults().address() : AgentClientSettings.parseAddress(url);
		if (address.getHost() == null) {
			throw new IllegalStateException("Agent address '" + url + "' must look like http://127.0.0.1:8500");
		}
		return (address.getPort() != -1) ? address
				: URI.create(address.getScheme() + "://" + address.getHost() + ":" + ("https".equals(address.getScheme()) ? 443 : 80));
	}

	private static boolean answers(URI address) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 300);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean isLoopback(String host) {
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The only code that touches the agent's classes, loaded only when the feature is used. */
	private static final class Starter {

		static String start(int port, SpringApplication application) {
			DevAgent agent;
			try {
				agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(port));
			}
			catch (RuntimeException ex) {
				// The port is taken by something that is not an agent (or went away): any free port will do.
				agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0));
			}
			application.addListeners(new StopWithTheApplication(agent));
			return agent.httpAddress();
		}

	}

	/** Stops the agent when the application closes or fails to start. */
	private record StopWithTheApplication(DevAgent agent) implements ApplicationListener<ApplicationEvent> {

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
				this.agent.close();
			}
		}

	}

}
