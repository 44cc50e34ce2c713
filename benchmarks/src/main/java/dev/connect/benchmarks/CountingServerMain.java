package dev.connect.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import dev.connect.autoconfigure.registration.ConnectService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The benchmarked upstream: a 'counting' service with the starter, answering {@code GET /count} with about 1 KB of
 * JSON, on WebFlux. Started by {@link CountingServerProcess} in its own JVM (with
 * {@code spring.main.web-application-type=reactive}: the benchmarks' class path holds Spring MVC too); prints {@code COUNTING_READY port=<port> openssl=<bool>}
 * when it
 * serves. Run with {@code connect.tls.server.enabled=false} and {@code connect.authorization.enabled=false} it is
 * the same app in plaintext.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ConnectService
public class CountingServerMain {

	/** Pads the answer to about 1 KB, the response size the benchmark specifies. */
	static final String PADDING = "x".repeat(960);

	private final AtomicLong count = new AtomicLong();

	public static void main(String[] args) {
		SpringApplication.run(CountingServerMain.class, args);
	}

	@Bean
	RouterFunction<ServerResponse> countingRoutes() {
		return RouterFunctions.route()
			.GET("/count", (request) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"count\":" + this.count.incrementAndGet() + ",\"padding\":\"" + PADDING + "\"}"))
			.build();
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> readySignal() {
		return (event) -> System.out.println("COUNTING_READY port="
				+ event.getApplicationContext().getEnvironment().getProperty("local.server.port") + " openssl="
				+ io.netty.handler.ssl.OpenSsl.isAvailable());
	}

}
