package dev.connect.samples.counting;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.connect.autoconfigure.caller.ConnectCaller;
import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.identity.ServiceIdentity;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The 'counting' service: a Connect-native WebFlux app whose {@code GET /count} returns a count that increments per
 * call (one count per instance), with the instance that answered and the identities on both ends of the
 * connection. Nothing here is specific
 * to the dev agent: point it at any agent with {@code --connect.agent.url=...}.
 */
@SpringBootApplication
@ConnectService
public class CountingApplication {

	private final AtomicLong count = new AtomicLong();

	public static void main(String[] args) {
		application().run(args);
	}

	/**
	 * The application with its defaults (name {@code counting}, port 9003), which properties and arguments override.
	 * @return the application builder
	 */
	public static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(CountingApplication.class)
			.properties("spring.application.name=counting", "server.port=9003");
	}

	@Bean
	RouterFunction<ServerResponse> countingRoutes(CertificateSource certificates) {
		return RouterFunctions.route().GET("/count", (request) -> {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("count", this.count.incrementAndGet());
			int port = request.exchange().getRequest().getLocalAddress().getPort();
			body.put("instance", "counting on port " + port);
			body.put("port", port);
			CertificateSnapshot own = certificates.current();
			body.put("identity", (own != null) ? own.identity().toString() : null);
			body.put("leafSerial", (own != null) ? own.leaf().getSerialNumber().toString(16) : null);
			// The caller that intentions allowed, as the mesh already verified it.
			ServiceIdentity caller = request.exchange().getAttribute(ConnectCaller.ATTRIBUTE);
			body.put("caller", (caller != null) ? caller.toString() : null);
			return ServerResponse.ok().bodyValue(body);
		}).build();
	}

}
