package dev.connect.samples.demo;

import java.util.Map;
import java.util.Objects;

/**
 * The demo's servlet-stack steps: {@code greeting}, a Spring MVC app on Tomcat, called by the dashboard (WebFlux)
 * and calling {@code counting} with a {@code @LoadBalanced RestClient}, each hop under its own intention.
 */
final class GreetingSteps {

	private final Demo demo;

	GreetingSteps(Demo demo) {
		this.demo = demo;
	}

	String dashboardCallsGreeting() throws Exception {
		Map<String, Object> refused = this.demo.dashboardGreeting();
		Demo.expect(Objects.equals(refused.get("status"), 403), "expected 403 from greeting, got " + refused);
		this.demo.intention("dashboard", "greeting", "allow");
		Map<String, Object> failed = this.demo.awaitGreeting((view) -> !Objects.equals(view.get("status"), 403),
				"greeting to accept the dashboard after the intention");
		Demo.expect(Objects.equals(failed.get("status"), 500),
				"expected greeting to answer an error while counting refuses it, got " + failed);
		return "dashboard → greeting (Spring MVC on Tomcat) under the default policy: " + refused.get("status") + " ("
				+ refused.get("error") + ")\nintention dashboard → greeting allow: greeting accepts the dashboard, "
				+ "but counting refuses greeting (default deny), so greeting answers " + failed.get("status");
	}

	String greetingCallsCounting() throws Exception {
		this.demo.intention("greeting", "counting", "allow");
		Map<String, Object> answer = this.demo.awaitGreeting((view) -> Objects.equals(view.get("status"), 200),
				"greeting's calls to counting to succeed after the intention");
		Demo.expect(Objects.equals(answer.get("greeting"), "Hello, dashboard!"), "unexpected greeting: " + answer);
		Demo.expect(answer.get("count") != null, "greeting answered without a count: " + answer);
		return "intention greeting → counting allow: 200 {\"greeting\":\"" + answer.get("greeting") + "\",\"count\":"
				+ answer.get("count") + "}, counted by " + answer.get("countedBy") + "\ngreeting saw the caller "
				+ answer.get("caller") + " (Tomcat's mutual TLS), and called counting with a @LoadBalanced RestClient "
				+ "over mutual TLS as greeting";
	}

}
