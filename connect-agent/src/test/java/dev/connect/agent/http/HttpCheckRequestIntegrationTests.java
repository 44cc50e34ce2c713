package dev.connect.agent.http;

import java.util.concurrent.TimeUnit;

import dev.connect.agent.DevAgent;
import dev.connect.agent.DevAgentSettings;
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

}
