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
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The benchmarked upstream on the servlet stack: the same 'counting' app as {@link CountingServerMain} (the same
 * {@code GET /count}, the same answer of about 1 KB) as Spring MVC on Tomcat with the starter. Started by
 * {@link CountingServerProcess} in its own JVM for the {@code mvc-*} modes, with
 * {@code spring.main.web-application-type=servlet}; prints
 * {@code COUNTING_READY port=<port> openssl=false} when it serves (Tomcat's TLS is the JDK's JSSE on Java 17).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ConnectService
public class CountingServletMain {

	private final AtomicLong count = new AtomicLong();

	public static void main(String[] args) {
		SpringApplication.run(CountingServletMain.class, args);
	}

	@Bean
	RouterFunction<ServerResponse> countingRoutes() {
		return RouterFunctions.route()
			.GET("/count", (request) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"count\":" + this.count.incrementAndGet() + ",\"padding\":\"" + CountingServerMain.PADDING
						+ "\"}"))
			.build();
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> readySignal() {
		return (event) -> System.out.println("COUNTING_READY port="
				+ event.getApplicationContext().getEnvironment().getProperty("local.server.port") + " openssl=false");
	}

}
