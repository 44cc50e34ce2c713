package dev.connect.samples.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.pki.Pem;
import dev.connect.samples.counting.CountingApplication;
import dev.connect.samples.dashboard.DashboardApplication;
import dev.connect.samples.greeting.GreetingApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole mission in one process: a dev agent, two {@code counting} instances, {@code greeting} (Spring MVC on
 * Tomcat) and a {@code dashboard}, all on free ports, walked through step by step with the evidence of each step printed:
 * <ol>
 * <li>dashboard → counting is refused under the default policy (403);</li>
 * <li>the intention {@code dashboard → counting allow} makes calls succeed over mutual TLS, identities shown;</li>
 * <li>a direct call without a client certificate is refused at the TLS handshake;</li>
 * <li>an instance stops, and traffic moves to the other;</li>
 * <li>the CA root is rotated while calls run, and every call succeeds, now with re-issued leaves;</li>
 * <li>the intention is flipped to deny, and calls are refused (403);</li>
 * <li>a non-Java application, Python's {@code http.server}, joins the mesh through a {@code connect-proxy} sidecar,
 * and the dashboard's calls to it follow intentions: refused, allowed, refused again after a deny;</li>
 * <li>the Python app reaches {@code counting} through its sidecar's upstream listener, as {@code python-app};</li>
 * <li>the dashboard's calls to {@code greeting}, a Spring MVC app, follow intentions: refused, then allowed, and
 * greeting answers an error while {@code counting} refuses it;</li>
 * <li>greeting → counting allowed, greeting's {@code RestClient} counts and the dashboard is greeted.</li>
 * </ol>
 * The apps are the ordinary sample applications; each gets its own Reactor event loops here only because they
 * share one JVM, so that stopping one does not stop the others.
 */
public final class Demo implements AutoCloseable {

	private static final Duration PROMPTLY = Duration.ofSeconds(15);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final PrintStream out;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<StepResult> results = new ArrayList<>();

	private DevAgent agent;

	private final List<ConfigurableApplicationContext> counting = new ArrayList<>();

	private ConfigurableApplicationContext greeting;

	private ConfigurableApplicationContext dashboard;

	private final Path proxyJar;

	private PythonSidecar python;

	private boolean closed;

	/**
	 * Creates the demo.
	 * @param out where the steps and their evidence are printed
	 * @param proxyJar the runnable {@code connect-proxy.jar} the sidecar steps start
	 */
	public Demo(PrintStream out, Path proxyJar) {
		this.out = out;
		this.proxyJar = proxyJar;
	}

	/**
	 * Starts the agent and the four apps on free ports.
	 */
	public void start() {
		this.out.println("Starting a dev agent, two 'counting' instances, 'greeting' and a 'dashboard' on free ports...");
		// Leaves are re-issued within 2 s of a root rotation instead of Consul's 30 s, so the demo stays short.
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withRootRotationJitter(Duration.ofSeconds(2)));
		this.out.println("  dev agent     " + this.agent.httpAddress() + "  (development CA, trust domain "
				+ this.agent.trustDomain() + ")");
		for (int i = 0; i < 2; i++) {
			ConfigurableApplicationContext instance = run(reactive(CountingApplication.application()));
			this.counting.add(instance);
			this.out.println("  counting #" + (i + 1) + "   https://127.0.0.1:" + port(instance) + "  (mutual TLS only)");
		}
		this.greeting = run(GreetingApplication.application());
		this.out.println("  greeting      https://127.0.0.1:" + port(this.greeting) + "  (Spring MVC on Tomcat, mutual TLS only)");
		this.dashboard = run(reactive(DashboardApplication.application()));
		this.out.println("  dashboard     " + dashboardUrl() + "/  (the edge: plain HTTP on 127.0.0.1)");
		this.out.println();
	}

	/**
	 * Runs the ten steps in order, stopping at the first that fails.
	 * @return every step run, the last one failed if any did
	 */
	public List<StepResult> walkThrough() {
		MeshSteps mesh = new MeshSteps(this);
		step("dashboard → counting is refused under the default policy", mesh::deniedByDefault);
		step("an intention allows dashboard → counting; calls succeed over mutual TLS", mesh::allowed);
		step("a direct call without a client certificate is refused at the TLS handshake", mesh::noCertificate);
		step("an instance stops, and traffic moves to the other", mesh::instanceStops);
		step("the CA root is rotated while calls run, and every call succeeds", mesh::rootRotation);
		step("the intention is flipped to deny, and calls are refused", mesh::flippedToDeny);
		this.python = new PythonSidecar(this.proxyJar, this.agent.httpAddress());
		SidecarSteps sidecar = new SidecarSteps(this, this.python);
		step("a Python http.server joins the mesh through a sidecar; the dashboard's calls to it follow intentions",
				sidecar::dashboardCallsPython);
		step("the Python app reaches counting through its sidecar's upstream listener", sidecar::pythonCallsCounting);
		GreetingSteps greetings = new GreetingSteps(this);
		step("greeting, a Spring MVC app on Tomcat, joins; the dashboard's calls to it follow intentions",
				greetings::dashboardCallsGreeting);
		step("greeting calls counting with a @LoadBalanced RestClient once an intention allows it",
				greetings::greetingCallsCounting);
		return List.copyOf(this.results);
	}

	/**
	 * Allows dashboard → counting, dashboard → greeting and greeting → counting, and prints what to try by hand (the
	 * interactive mode).
	 */
	public void printHowToPlay() {
		intention("allow");
		intention("dashboard", "greeting", "allow");
		intention("greeting", "counting", "allow");
		String agentAddress = this.agent.httpAddress();
		this.out.println("Everything is running. Intentions: dashboard → counting, dashboard → greeting and "
				+ "greeting → counting allow.");
		this.out.println();
		this.out.println("  Open the dashboard:    " + dashboardUrl() + "/");
		this.out.println("  Its JSON:              curl -s " + dashboardUrl() + "/api/count");
		this.out.println("  Greeted by greeting:   curl -s " + dashboardUrl() + "/api/greeting");
		this.out.println("  The agent's API:       curl -s " + agentAddress + "/v1/health/connect/counting?passing");
		this.out.println("  CA roots:              curl -s " + agentAddress + "/v1/agent/connect/ca/roots");
		this.out.println();
		this.out.println("  With the CLI (build it with the README's first command):");
		String cli = "java -jar connect-agent/target/connect-agent.jar";
		this.out.println("    " + cli + " intention delete -http-addr=" + agentAddress + " dashboard counting");
		this.out.println("    " + cli + " intention create -deny -replace -http-addr=" + agentAddress + " dashboard counting");
		this.out.println("    " + cli + " intention check -http-addr=" + agentAddress + " dashboard counting");
		this.out.println("    " + cli + " intention create -deny -replace -http-addr=" + agentAddress + " greeting counting");
		this.out.println("    " + cli + " ca rotate -http-addr=" + agentAddress);
		this.out.println();
		printPythonApp(cli, agentAddress);
		this.out.println("Press Ctrl+C to stop.");
	}

	/** Starts the Python app with its sidecar, allows it both ways and prints what to try; a failure is printed. */
	private void printPythonApp(String cli, String agentAddress) {
		this.python = new PythonSidecar(this.proxyJar, agentAddress);
		try {
			String started = this.python.start();
			intention("dashboard", PythonSidecar.SERVICE, "allow");
			intention(PythonSidecar.SERVICE, "counting", "allow");
			this.out.println("  A Python app in the mesh through its sidecar (intentions dashboard → python-app and "
					+ "python-app → counting allow):");
			for (String line : started.split("\n")) {
				this.out.println("    " + line);
			}
			this.out.println("    As the Python app calls counting:  curl -s http://127.0.0.1:" + this.python.upstreamPort()
					+ "/count");
			this.out.println("    Refuse it:  " + cli + " intention create -deny -replace -http-addr=" + agentAddress
					+ " python-app counting");
		}
		catch (Exception ex) {
			this.out.println("  (The Python app and its sidecar did not start: " + ex.getMessage() + ")");
		}
		this.out.println();
	}

	/**
	 * Stops the child processes, the apps and the agent; a second call does nothing. When a step failed, the child
	 * processes' output is kept and its directory printed.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.python != null) {
			boolean failed = this.results.stream().anyMatch((result) -> !result.passed());
			this.python.close(failed);
			if (failed && this.python.directory() != null) {
				this.out.println("The Python app's and the sidecar's output: " + this.python.directory());
			}
		}
		if (this.dashboard != null) {
			this.dashboard.close();
		}
		if (this.greeting != null) {
			this.greeting.close();
		}
		for (ConfigurableApplicationContext instance : this.counting) {
			instance.close();
		}
		if (this.agent != null) {
			this.agent.close();
		}
	}

	// --- helpers ---

	private void step(String name, Step step) {
		if (!this.results.isEmpty() && !this.results.get(this.results.size() - 1).passed()) {
			return;
		}
		int number = this.results.size() + 1;
		this.out.println("Step " + number + ": " + name);
		StepResult result;
		try {
			result = new StepResult(number, name, true, step.run());
		}
		catch (StepFailed ex) {
			result = new StepResult(number, name, false, ex.getMessage());
		}
		catch (Exception ex) {
			result = new StepResult(number, name, false, ex.toString());
		}
		for (String line : result.evidence().split("\n")) {
			this.out.println("  " + (result.passed() ? "" : "FAILED: ") + line);
		}
		this.out.println();
		this.results.add(result);
	}

	private ConfigurableApplicationContext run(SpringApplicationBuilder application) {
		ApplicationContextInitializer<GenericApplicationContext> ownEventLoops = (context) -> context
			.registerBean("reactorResourceFactory", ReactorResourceFactory.class, () -> {
				ReactorResourceFactory factory = new ReactorResourceFactory();
				factory.setUseGlobalResources(false);
				return factory;
			});
		return application
			.properties("server.port=0", "connect.agent.url=" + this.agent.httpAddress(), "spring.main.banner-mode=off",
					"logging.level.root=WARN", "connect.registration.ttl=3s",
					// Only the dashboard, which serves plain HTTP, would warn that nothing reloads the rotated bundle.
					"logging.level.org.springframework.boot.ssl.DefaultSslBundleRegistry=ERROR",
					// A sidecar refuses a caller by closing the connection: step 7 shows it, the client need not warn.
					"logging.level.reactor.netty.http.client.HttpClientConnect=ERROR")
			.initializers(ownEventLoops)
			.run();
	}

	/**
	 * The demo's class path holds both web stacks (greeting brings Spring MVC and Tomcat, which Boot would prefer), so
	 * the WebFlux apps say which stack they are.
	 */
	private static SpringApplicationBuilder reactive(SpringApplicationBuilder application) {
		return application.properties("spring.main.web-application-type=reactive");
	}

	static int port(ConfigurableApplicationContext app) {
		return Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private String dashboardUrl() {
		return "http://127.0.0.1:" + port(this.dashboard);
	}

	Map<String, Object> dashboardCount() throws IOException, InterruptedException {
		return dashboardJson("/api/count");
	}

	/** The dashboard's {@code /api/greeting}: its call to greeting, as JSON. */
	Map<String, Object> dashboardGreeting() throws IOException, InterruptedException {
		return dashboardJson("/api/greeting");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> dashboardJson(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(dashboardUrl() + path)).timeout(PROMPTLY).build(),
				HttpResponse.BodyHandlers.ofString());
		return JSON.readValue(response.body(), Map.class);
	}

	Map<String, Object> await(Predicate<Map<String, Object>> condition, String what) throws Exception {
		return await("/api/count", condition, what);
	}

	Map<String, Object> awaitGreeting(Predicate<Map<String, Object>> condition, String what) throws Exception {
		return await("/api/greeting", condition, what);
	}

	private Map<String, Object> await(String path, Predicate<Map<String, Object>> condition, String what)
			throws Exception {
		long deadline = System.nanoTime() + PROMPTLY.toNanos();
		Map<String, Object> answer = dashboardJson(path);
		while (!condition.test(answer)) {
			if (System.nanoTime() > deadline) {
				throw new StepFailed("waited " + PROMPTLY.toSeconds() + " s for " + what + "; last answer: " + answer);
			}
			Thread.sleep(100);
			answer = dashboardJson(path);
		}
		return answer;
	}

	void intention(String action) {
		intention("dashboard", "counting", action);
	}

	/** Creates or replaces the intention source → destination with the action. */
	void intention(String source, String destination, String action) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create(this.agent.httpAddress() + "/v1/connect/intentions/exact?source=" + source
						+ "&destination=" + destination))
				.PUT(HttpRequest.BodyPublishers.ofString("{\"Action\":\"" + action + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			expect(response.statusCode() == 200, "the intention was refused: " + response.body());
		}
		catch (IOException ex) {
			throw new StepFailed("the agent did not answer: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StepFailed("interrupted");
		}
	}

	@SuppressWarnings("unchecked")
	KeyStore meshRoots() throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		int i = 0;
		for (Map<String, Object> root : (List<Map<String, Object>>) caRoots().get("Roots")) {
			for (X509Certificate certificate : Pem.parseCertificates((String) root.get("RootCert"))) {
				store.setCertificateEntry("root-" + i++, certificate);
			}
		}
		return store;
	}

	String activeRootId() throws Exception {
		return (String) caRoots().get("ActiveRootID");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> caRoots() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(this.agent.httpAddress() + "/v1/agent/connect/ca/roots")).build(),
				HttpResponse.BodyHandlers.ofString());
		return JSON.readValue(response.body(), Map.class);
	}

	static String shortId(String id) {
		return (id != null && id.length() > 23) ? id.substring(0, 23) + "…" : id;
	}

	static void expect(boolean condition, String failure) {
		if (!condition) {
			throw new StepFailed(failure);
		}
	}

	@FunctionalInterface
	private interface Step {

		String run() throws Exception;

	}

	/**
	 * One step's outcome.
	 * @param number the step's number, from 1
	 * @param name what the step shows
	 * @param passed whether it showed it
	 * @param evidence what was observed (or why it failed)
	 */
	public record StepResult(int number, String name, boolean passed, String evidence) {
	}

	/** The running counting instances, in start order. */
	List<ConfigurableApplicationContext> counting() {
		return this.counting;
	}

	String agentAddress() {
		return this.agent.httpAddress();
	}

	/** The dashboard's application context, for the sidecar steps to call through its mesh client. */
	ConfigurableApplicationContext dashboard() {
		return this.dashboard;
	}

	/** A step's failure, with what was observed. */
	static final class StepFailed extends RuntimeException {

		StepFailed(String message) {
			super(message);
		}

	}

}
