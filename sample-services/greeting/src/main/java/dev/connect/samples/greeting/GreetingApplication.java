package dev.connect.samples.greeting;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.connect.autoconfigure.registration.ConnectService;
import dev.connect.identity.ServiceIdentity;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The 'greeting' service: a Connect-native Spring MVC app on Tomcat (the servlet stack) whose {@code GET /greet}
 * greets its caller by service name and counts the greeting by calling {@code counting} with a
 * {@code @LoadBalanced RestClient}: mutual TLS on both sides, its callers authorized by intentions, and its calls
 * made only to a proven {@code counting}. Point it at any agent with {@code --connect.agent.url=...}.
 */
@SpringBootApplication
@ConnectService
@RestController
public class GreetingApplication {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final RestClient counting;

	GreetingApplication(RestClient.Builder mesh) {
		this.counting = mesh.baseUrl("http://counting").build();
	}

	public static void main(String[] args) {
		application().run(args);
	}

	/**
	 * The application with its defaults (name {@code greeting}, port 9005, the servlet stack), which properties and
	 * arguments override.
	 * @return the application builder
	 */
	public static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(GreetingApplication.class).properties("spring.application.name=greeting",
				"server.port=9005", "spring.main.web-application-type=servlet");
	}

	@Bean
	@LoadBalanced
	static RestClient.Builder meshRestClient() {
		return RestClient.builder();
	}

	/**
	 * Greets the caller that intentions allowed, and counts the greeting at {@code counting}.
	 * @param caller the mesh caller, as the mesh verified it
	 * @return the greeting, the count and the instance that counted
	 */
	@GetMapping("/greet")
	Map<String, Object> greet(ServiceIdentity caller) {
		Map<String, Object> counted = this.counting.get().uri("/count").retrieve().body(JSON);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("greeting", "Hello, " + caller.service() + "!");
		body.put("caller", caller.toString());
		body.put("count", (counted != null) ? counted.get("count") : null);
		body.put("countedBy", (counted != null) ? counted.get("instance") : null);
		return body;
	}

}
