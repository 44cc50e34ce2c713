package dev.connect.agent.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
import dev.connect.pki.TestPki;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class HttpCheckRequestIntegrationTests {

	@Test
	void anHttpCheckSendsItsMethodAndHeadersAndKeepsTheAnswerAsOutput() throws Exception {
		DisposableServer target = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/probe", (request, response) -> "yes".equals(request.requestHeaders()
				.get("X-Probe")) ? response.sendString(Mono.just("pong"))
						: response.status(400).sendString(Mono.just("no header"))))
			.bindNow();
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			AgentHttp http = new AgentHttp(agent);
			String url = "http://127.0.0.1:" + target.port() + "/probe";
			http.put("/v1/agent/service/register", "{\"Name\":\"probed\",\"Port\":" + target.port()
					+ ",\"Check\":{\"HTTP\":\"" + url + "\",\"Method\":\"post\",\"Header\":{\"X-Probe\":[\"yes\"]},"
					+ "\"Interval\":\"100ms\",\"Timeout\":\"5s\"}}");
			JsonNode check = null;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (check == null || !check.get("Status").asString().equals("passing")) {
				assertThat(System.nanoTime()).as("passing within 10 s, last: " + check).isLessThan(deadline);
				Thread.sleep(50);
				check = AgentHttp.json(http.get("/v1/agent/checks")).get("service:probed");
			}
			assertThat(check.get("Output").asString()).isEqualTo("HTTP POST " + url + ": 200 OK Output: pong");
		}
		finally {
			target.disposeNow();
		}
	}

	@Test
	void anHttpCheckSendsItsBody() throws Exception {
		DisposableServer target = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.put("/probe", (request, response) -> response
				.sendString(request.receive().aggregate().asString().map((body) -> "got " + body))))
			.bindNow();
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			String url = "http://127.0.0.1:" + target.port() + "/probe";
			JsonNode check = passingCheck(agent, "{\"HTTP\":\"" + url + "\",\"Method\":\"PUT\","
					+ "\"Body\":\"{\\\"ping\\\":1}\",\"Interval\":\"100ms\"}", target.port());
			assertThat(check.get("Output").asString()).isEqualTo("HTTP PUT " + url + ": 200 OK Output: got {\"ping\":1}");
		}
		finally {
			target.disposeNow();
		}
	}

	@Test
	void anHttpsCheckSendsItsTlsServerNameAsSni() throws Exception {
		TestPki.Issued root = TestPki.root("checks.test", Instant.now().minus(Duration.ofHours(1)),
				Instant.now().plus(Duration.ofDays(1)));
		TestPki.Issued leaf = TestPki.leaf("spiffe://checks.test/ns/default/dc/dc1/svc/billing")
			.dnsNames("billing.internal")
			.validity(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)))
			.signedBy(root);
		KeyStore keys = KeyStore.getInstance("PKCS12");
		keys.load(null, null);
		keys.setKeyEntry("leaf", leaf.keyPair().getPrivate(), new char[0], new X509Certificate[] { leaf.certificate() });
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keys, new char[0]);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers.getKeyManagers(), null, null);
		SSLServerSocket target = (SSLServerSocket) context.getServerSocketFactory()
			.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread server = new Thread(() -> answerWithSni(target), "sni-echo");
		server.setDaemon(true);
		server.start();
		try (DevAgent agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0))) {
			String url = "https://127.0.0.1:" + target.getLocalPort() + "/health";
			JsonNode check = passingCheck(agent, "{\"HTTP\":\"" + url + "\",\"TLSSkipVerify\":true,"
					+ "\"TLSServerName\":\"billing.internal\",\"Interval\":\"100ms\"}", target.getLocalPort());
			assertThat(check.get("Output").asString()).isEqualTo("HTTP GET " + url + ": 200 OK Output: sni=billing.internal");
		}
		finally {
			target.close();
		}
	}

	/** A one-request-per-connection HTTPS server that answers with the SNI names the client sent. */
	private static void answerWithSni(SSLServerSocket server) {
		while (!server.isClosed()) {
			try (SSLSocket socket = (SSLSocket) server.accept()) {
				socket.startHandshake();
				StringBuilder names = new StringBuilder();
				((ExtendedSSLSession) socket.getSession()).getRequestedServerNames()
					.forEach((name) -> names.append(((SNIHostName) name).getAsciiName()));
				BufferedReader request = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
				while (!request.readLine().isEmpty()) {
					// the request line and headers
				}
				byte[] body = ("sni=" + names).getBytes(StandardCharsets.US_ASCII);
				OutputStream out = socket.getOutputStream();
				out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.write(body);
				out.flush();
			}
			catch (IOException | RuntimeException ex) {
				// a closed server, or a probe that gave up: take the next connection
			}
		}
	}

	private static JsonNode passingCheck(DevAgent agent, String check, int port) throws Exception {
		AgentHttp http = new AgentHttp(agent);
		http.put("/v1/agent/service/register", "{\"Name\":\"probed\",\"Port\":" + port + ",\"Check\":" + check + "}");
		JsonNode found = null;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (found == null || !found.get("Status").asString().equals("passing")) {
			assertThat(System.nanoTime()).as("passing within 10 s, last: " + found).isLessThan(deadline);
			Thread.sleep(50);
			found = AgentHttp.json(http.get("/v1/agent/checks")).get("service:probed");
		}
		return found;
	}

}
