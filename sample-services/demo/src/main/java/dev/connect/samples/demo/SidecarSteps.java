package dev.connect.samples.demo;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import dev.connect.autoconfigure.client.ConnectUpstreams;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's sidecar steps: the {@link PythonSidecar} pair in the mesh, called by the dashboard through its own mesh
 * client (as {@code dashboard}, over mutual TLS, the sidecar proving it is {@code python-app}) and calling
 * {@code counting} through its upstream listener.
 */
final class SidecarSteps {

	private static final Duration PROMPTLY = Duration.ofSeconds(15);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Demo demo;

	private final PythonSidecar python;

	SidecarSteps(Demo demo, PythonSidecar python) {
		this.demo = demo;
		this.python = python;
	}

	String dashboardCallsPython() throws Exception {
		String started = this.python.start();
		MeshCall refused = dashboardCall();
		Demo.expect(refused.status() != 200, "the dashboard reached python-app without an intention: " + refused);
		Demo.expect(this.python.appRequests() == 0, "the Python app saw a request from a refused caller");
		this.demo.intention("dashboard", PythonSidecar.SERVICE, "allow");
		MeshCall allowed = await((call) -> call.status() == 200, "calls to python-app to succeed after the intention");
		Demo.expect(allowed.body().equals(PythonSidecar.PAGE_TEXT), "unexpected page from python-app: " + allowed);
		long flipped = System.nanoTime();
		this.demo.intention("dashboard", PythonSidecar.SERVICE, "deny");
		MeshCall denied = await((call) -> call.status() != 200, "calls to python-app to be refused after the deny");
		long took = Duration.ofNanos(System.nanoTime() - flipped).toMillis();
		long served = this.python.appRequests();
		MeshCall again = dashboardCall();
		Demo.expect(again.status() != 200 && this.python.appRequests() == served,
				"a call after the deny reached the Python app: " + again);
		return started + "\ndashboard → python-app without an intention: " + refused
				+ "; the Python app saw no request (the sidecar authorizes before it dials the app)"
				+ "\nintention dashboard → python-app allow: 200 \"" + allowed.body().strip()
				+ "\" (the dashboard's handshake accepted only python-app's identity, which the sidecar presents)"
				+ "\nintention flipped to deny: refused within " + took + " ms: " + denied + "; the next call too, "
				+ "and the app saw neither";
	}

	String pythonCallsCounting() throws Exception {
		String request = "GET http://127.0.0.1:" + this.python.upstreamPort() + "/count";
		HttpResponse<String> denied = this.python.callCountingAsThePythonApp("/count");
		Demo.expect(denied.statusCode() == 403, "expected 403 from counting without an intention, got "
				+ denied.statusCode() + ": " + denied.body());
		this.demo.intention(PythonSidecar.SERVICE, "counting", "allow");
		long deadline = System.nanoTime() + PROMPTLY.toNanos();
		HttpResponse<String> allowed = denied;
		while (allowed.statusCode() != 200 && System.nanoTime() < deadline) {
			Thread.sleep(100);
			allowed = this.python.callCountingAsThePythonApp("/count");
		}
		Demo.expect(allowed.statusCode() == 200, "counting still answered " + allowed.statusCode() + " after the "
				+ "intention python-app → counting allow: " + allowed.body());
		Map<?, ?> count = JSON.readValue(allowed.body(), Map.class);
		String caller = String.valueOf(count.get("caller"));
		Demo.expect(caller.endsWith("/svc/" + PythonSidecar.SERVICE), "counting saw the caller " + caller);
		return request + " (plain HTTP to the upstream listener, as the Python app would): "
				+ denied.statusCode() + " under the default policy\nintention python-app → counting allow: 200, count "
				+ count.get("count") + " from " + count.get("instance") + "\ncounting saw the caller " + caller
				+ " (the sidecar's mutual TLS), and it proved to be " + count.get("identity");
	}

	private MeshCall await(Predicate<MeshCall> condition, String what) throws Exception {
		long deadline = System.nanoTime() + PROMPTLY.toNanos();
		MeshCall call = dashboardCall();
		while (!condition.test(call)) {
			if (System.nanoTime() > deadline) {
				throw new Demo.StepFailed("waited " + PROMPTLY.toSeconds() + " s for " + what + "; last: " + call);
			}
			Thread.sleep(100);
			call = dashboardCall();
		}
		return call;
	}

	/** One call through the dashboard's mesh client, as the dashboard calls counting. */
	private MeshCall dashboardCall() {
		ConnectUpstreams upstreams = this.demo.dashboard().getBean(ConnectUpstreams.class);
		MeshCall call = upstreams.webClient(PythonSidecar.SERVICE)
			.get()
			.uri("/" + PythonSidecar.PAGE)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new MeshCall(response.statusCode().value(), body)))
			.timeout(Duration.ofSeconds(10))
			.onErrorResume((error) -> Mono.just(new MeshCall(0, "refused: " + error.getMessage())))
			.block();
		return Objects.requireNonNull(call);
	}

	/**
	 * One call's outcome.
	 * @param status the HTTP status, 0 when the connection was refused or closed without an answer
	 * @param body the answer's body, or what refused the call
	 */
	private record MeshCall(int status, String body) {

		@Override
		public String toString() {
			return (this.status == 0) ? this.body : this.status + " " + this.body.strip();
		}

	}

}
