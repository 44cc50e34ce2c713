package dev.connect.test;

import java.util.Objects;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Spring's {@code WebTestClient} bound to a mesh identity: it calls a running app over real mutual TLS, presenting
 * the leaf of a {@link MeshTestClient}, and accepts only a server that proves the expected service, as
 * {@link MeshTestClient} does. Needs spring-test and spring-webflux on the test classpath (a WebFlux app's tests
 * have both); the rest of connect-test needs no Spring.
 * <pre>
 * WebTestClient client = MeshWebTestClient.bindToService(mesh.caller("dashboard"), "counting", port).build();
 * client.get().uri("/count").exchange().expectStatus().isOk();
 * </pre>
 */
public final class MeshWebTestClient {

	private MeshWebTestClient() {
	}

	/**
	 * Returns a {@code WebTestClient} builder whose requests go to {@code https://127.0.0.1:<port>} as
	 * {@code caller}'s identity, each on a new connection, and whose server must prove it is {@code service} in the
	 * caller's datacenter and the default namespace (else the handshake fails and the exchange throws). Defaults:
	 * base URL {@code https://127.0.0.1:<port>} (so {@code uri("/count")} is enough), and {@code WebTestClient}'s
	 * own for everything else (a 5 second response timeout, no default headers); change them on the builder, but
	 * keep its connector, which is what makes the calls mesh calls.
	 * @param caller the identity to call as, from {@link TestMesh#caller(String)}
	 * @param service the service expected to answer
	 * @param port the app's port on 127.0.0.1
	 * @return the builder
	 */
	public static WebTestClient.Builder bindToService(MeshTestClient caller, String service, int port) {
		Objects.requireNonNull(caller, "'caller' must not be null");
		Objects.requireNonNull(service, "'service' must not be null");
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(caller.httpClient(service, port)))
			.baseUrl("https://127.0.0.1:" + port);
	}

}
