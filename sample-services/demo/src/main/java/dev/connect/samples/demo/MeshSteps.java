package dev.connect.samples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo's first six steps, between the dashboard and the two {@code counting} instances: the default policy, an
 * intention, a caller without a certificate, an instance stopped, a root rotated under calls, the intention denied.
 */
final class MeshSteps {

	private static final Duration PROMPTLY = Duration.ofSeconds(15);

	private final Demo demo;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	MeshSteps(Demo demo) {
		this.demo = demo;
	}

	String deniedByDefault() throws Exception {
		Map<String, Object> answer = this.demo.dashboardCount();
		Demo.expect(Objects.equals(answer.get("status"), 403), "expected 403 from counting, got " + answer);
		return "dashboard → counting: " + answer.get("status") + " (" + answer.get("error") + ")";
	}

	String allowed() throws Exception {
		this.demo.intention("allow");
		Map<String, Object> answer = this.demo.await((view) -> Objects.equals(view.get("status"), 200),
				"calls to succeed after the intention");
		Map<String, Object> next = this.demo.dashboardCount();
		Demo.expect(Objects.equals(next.get("status"), 200), "a second call failed: " + next);
		return "intention dashboard → counting allow created\n" + "count " + answer.get("count") + " from "
				+ answer.get("answeredBy") + ", then count " + next.get("count") + " from " + next.get("answeredBy")
				+ "\ncaller " + answer.get("caller") + " (as counting saw it: " + answer.get("callerSeenByCallee")
				+ ")\ncallee " + answer.get("callee")
				+ " (as counting reports it; the dashboard's handshake accepts no certificate but counting's)";
	}

	String noCertificate() throws Exception {
		int port = Demo.port(this.demo.counting().get(0));
		SSLContext context = SSLContext.getInstance("TLS");
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(this.demo.meshRoots());
		// Trusts the mesh's roots but presents no certificate of its own.
		context.init(null, trust.getTrustManagers(), null);
		String target = "GET https://127.0.0.1:" + port + "/count without a client certificate: ";
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(5000);
			socket.startHandshake();
			OutputStream request = socket.getOutputStream();
			request.write("GET /count HTTP/1.1\r\nHost: counting\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			request.flush();
			InputStream response = socket.getInputStream();
			// With TLS 1.3 the server checks the client's (absent) certificate after the client's last flight, so
			// the refusal arrives on the first read.
			Demo.expect(response.read() == -1, "counting answered a client without a certificate");
			return target + "closed by the server without an answer";
		}
		catch (IOException ex) {
			return target + ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
	}

	String instanceStops() throws Exception {
		ConfigurableApplicationContext stopped = this.demo.counting().remove(0);
		int stoppedPort = Demo.port(stopped);
		int remainingPort = Demo.port(this.demo.counting().get(0));
		stopped.close();
		this.demo.await((view) -> Objects.equals(view.get("status"), 200) && Objects.equals(view.get("calleePort"), remainingPort),
				"calls to reach the remaining instance");
		List<Object> ports = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Map<String, Object> answer = this.demo.dashboardCount();
			Demo.expect(Objects.equals(answer.get("status"), 200), "a call failed after the instance stopped: " + answer);
			ports.add(answer.get("calleePort"));
		}
		Demo.expect(ports.stream().allMatch((port) -> Objects.equals(port, remainingPort)),
				"calls still reached port " + stoppedPort + ": " + ports);
		return "stopped the instance on port " + stoppedPort + "; the next 6 calls were answered on port " + ports;
	}

	String rootRotation() throws Exception {
		String rootBefore = this.demo.activeRootId();
		Map<String, Object> before = this.demo.dashboardCount();
		Demo.expect(Objects.equals(before.get("status"), 200), "calls failed before the rotation: " + before);
		HttpResponse<String> rotated = this.http.send(HttpRequest
			.newBuilder(URI.create(this.demo.agentAddress() + "/v1/connect/ca/configuration"))
			.PUT(HttpRequest.BodyPublishers
				.ofString("{\"Provider\":\"consul\",\"Config\":{\"PrivateKeyType\":\"ec\",\"PrivateKeyBits\":384}}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		Demo.expect(rotated.statusCode() == 200, "the rotation was refused: " + rotated.body());
		AtomicInteger calls = new AtomicInteger();
		List<String> failures = new ArrayList<>();
		Map<String, Object> after = before;
		long deadline = System.nanoTime() + PROMPTLY.toNanos();
		while (System.nanoTime() < deadline && (Objects.equals(after.get("calleeLeafSerial"), before.get("calleeLeafSerial"))
				|| Objects.equals(after.get("callerLeafSerial"), before.get("callerLeafSerial")))) {
			after = countedCall(calls, failures);
			Thread.sleep(50);
		}
		for (int i = 0; i < 10; i++) {
			countedCall(calls, failures);
		}
		String rootAfter = this.demo.activeRootId();
		Demo.expect(failures.isEmpty(), failures.size() + " of " + calls + " calls failed during the rotation: " + failures);
		Demo.expect(!Objects.equals(rootBefore, rootAfter), "the active root did not change");
		Demo.expect(!Objects.equals(after.get("calleeLeafSerial"), before.get("calleeLeafSerial"))
				&& !Objects.equals(after.get("callerLeafSerial"), before.get("callerLeafSerial")),
				"the leaves were not re-issued in time: " + after);
		return "active root " + Demo.shortId(rootBefore) + " → " + Demo.shortId(rootAfter) + "\ncounting's leaf "
				+ before.get("calleeLeafSerial") + " → " + after.get("calleeLeafSerial") + ", dashboard's leaf "
				+ before.get("callerLeafSerial") + " → " + after.get("callerLeafSerial") + "\n" + calls
				+ " calls during and after the rotation, 0 failed, no restart";
	}

	/** One dashboard call during the rotation, counted, its error kept if it failed. */
	private Map<String, Object> countedCall(AtomicInteger calls, List<String> failures) throws Exception {
		Map<String, Object> answer = this.demo.dashboardCount();
		calls.incrementAndGet();
		if (!Objects.equals(answer.get("status"), 200)) {
			failures.add(String.valueOf(answer.get("error")));
		}
		return answer;
	}

	String flippedToDeny() throws Exception {
		long flipped = System.nanoTime();
		this.demo.intention("deny");
		Map<String, Object> answer = this.demo.await((view) -> Objects.equals(view.get("status"), 403), "calls to be refused");
		long took = Duration.ofNanos(System.nanoTime() - flipped).toMillis();
		return "intention dashboard → counting deny; refused within " + took + " ms: " + answer.get("status") + " ("
				+ answer.get("error") + ")";
	}

}
