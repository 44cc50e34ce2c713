package dev.connect.samples.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The 'dashboard' service: it calls {@code counting} through a {@code @LoadBalanced WebClient} (mutual TLS, the
 * callee's identity checked in the handshake, the call authorized by counting against intentions) and shows the
 * count, which instance answered, and the identities on both ends: {@code GET /} (a page) and
 * {@code GET /api/count} (JSON). {@code GET /api/greeting} asks the Spring MVC service {@code greeting} to greet it
 * the same way (JSON).
 * <p>
 * The dashboard is the mesh's edge: people reach it with a browser, which has no mesh certificate. So its own port
 * is plain HTTP on the loopback address, and it neither authorizes nor registers inbound calls
 * ({@code connect.tls.server.enabled=false}, {@code connect.authorization.enabled=false},
 * {@code connect.registration.enabled=false}). Its identity ({@code dashboard}) is used for its outbound calls only.
 */
@SpringBootApplication
public class DashboardApplication {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	public static void main(String[] args) {
		application().run(args);
	}

	/**
	 * The application with its defaults (name {@code dashboard}, {@code 127.0.0.1:9002}, edge settings), which
	 * properties and arguments override.
	 * @return the application builder
	 */
	public static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(DashboardApplication.class).properties("spring.application.name=dashboard",
				"server.address=127.0.0.1", "server.port=9002", "connect.tls.server.enabled=false",
				"connect.authorization.enabled=false", "connect.registration.enabled=false");
	}

	@Bean
	@LoadBalanced
	WebClient.Builder meshWebClient() {
		return WebClient.builder();
	}

	@Bean
	RouterFunction<ServerResponse> dashboardRoutes(@LoadBalanced WebClient.Builder meshWebClient,
			CertificateSource certificates) {
		WebClient counting = meshWebClient.build();
		return RouterFunctions.route()
			.GET("/api/count", (request) -> count(counting, certificates)
				.flatMap((view) -> ServerResponse.status((int) view.get("status")).bodyValue(view)))
			.GET("/api/greeting", (request) -> greet(counting)
				.flatMap((view) -> ServerResponse.status((int) view.get("status")).bodyValue(view)))
			.build();
	}

	/**
	 * Calls counting once. The answer always says what happened: {@code status} 200 with the count, the instance and
	 * the identities, or the status counting answered (403 when no intention allows the call, 503 with no healthy
	 * instance) or 502 with the error when the call failed (for example a handshake refused).
	 */
	static Mono<Map<String, Object>> count(WebClient counting, CertificateSource certificates) {
		CertificateSnapshot own = certificates.current();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("caller", (own != null) ? own.identity().toString() : null);
		view.put("callerLeafSerial", (own != null) ? own.leaf().getSerialNumber().toString(16) : null);
		return counting.get()
			.uri("http://counting/count")
			.exchangeToMono((response) -> {
				view.put("upstreamStatus", response.statusCode().value());
				if (response.statusCode().is2xxSuccessful()) {
					return response.bodyToMono(JSON).map((body) -> {
						view.put("status", 200);
						view.put("count", body.get("count"));
						view.put("answeredBy", body.get("instance"));
						view.put("calleePort", body.get("port"));
						view.put("callee", body.get("identity"));
						view.put("calleeLeafSerial", body.get("leafSerial"));
						view.put("callerSeenByCallee", body.get("caller"));
						return view;
					});
				}
				return response.bodyToMono(String.class).defaultIfEmpty("").map((body) -> {
					view.put("status", response.statusCode().value());
					view.put("error", "counting answered " + response.statusCode().value() + ": " + body);
					return view;
				});
			})
			.timeout(Duration.ofSeconds(10))
			.onErrorResume((error) -> {
				view.put("status", HttpStatus.BAD_GATEWAY.value());
				view.put("error", describe(error));
				return Mono.just(view);
			});
	}

	/**
	 * Asks {@code greeting} (a Spring MVC service) to greet the dashboard, once. The answer says what happened:
	 * {@code status} 200 with greeting's answer (the greeting, the count and who counted), or the status greeting answered (403 when no
	 * intention allows the dashboard, 500 when greeting could not count at {@code counting}) with its body, or 502
	 * with the error when the call failed.
	 */
	static Mono<Map<String, Object>> greet(WebClient mesh) {
		Map<String, Object> view = new LinkedHashMap<>();
		return mesh.get()
			.uri("http://greeting/greet")
			.exchangeToMono((response) -> {
				if (response.statusCode().is2xxSuccessful()) {
					return response.bodyToMono(JSON).map((body) -> {
						view.put("status", 200);
						view.putAll(body);
						return view;
					});
				}
				return response.bodyToMono(String.class).defaultIfEmpty("").map((body) -> {
					view.put("status", response.statusCode().value());
					view.put("error", "greeting answered " + response.statusCode().value() + ": " + body);
					return view;
				});
			})
			.timeout(Duration.ofSeconds(10))
			.onErrorResume((error) -> {
				view.put("status", HttpStatus.BAD_GATEWAY.value());
				view.put("error", describe(error));
				return Mono.just(view);
			});
	}

	private static String describe(Throwable error) {
		StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
		for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
			text.append(" <- ").append(cause.getMessage());
		}
		return text.toString();
	}

}
