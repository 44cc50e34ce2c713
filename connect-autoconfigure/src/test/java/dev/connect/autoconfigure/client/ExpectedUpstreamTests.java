package dev.connect.autoconfigure.client;

import java.net.URI;

import dev.connect.mesh.MeshHttpClients;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectedUpstreamTests {

	private final ClientRequest call = ClientRequest.create(HttpMethod.GET, URI.create("http://counting/count")).build();

	@Test
	void theCallCarriesTheServiceItIsMeantForToTheConnector() {
		String expected = ExpectedUpstream.INSTANCE
			.filter(this.call, (request) -> Mono.deferContextual((context) -> {
				String service = context.get(MeshHttpClients.UPSTREAM_SERVICE);
				return Mono.just(ClientResponse.create(HttpStatus.OK).header("X-Expected", service).build());
			}))
			.map((response) -> response.headers().asHttpHeaders().getFirst("X-Expected"))
			.block();
		assertThat(expected).isEqualTo("counting");
	}

	@Test
	void theLoadBalancersOwn503NamesTheCallAsWrittenInsteadOfUnknown() {
		// What Spring Cloud LoadBalancer answers when the service has no instance: a response no server sent.
		ClientResponse unavailable = ExpectedUpstream.INSTANCE
			.filter(this.call, (request) -> Mono.just(ClientResponse.create(HttpStatus.SERVICE_UNAVAILABLE)
				.body("Load balancer does not contain an instance for the service counting")
				.build()))
			.block();
		WebClientResponseException error = unavailable.createException().block();
		assertThat(error).hasMessage("503 Service Unavailable from GET http://counting/count");
		assertThat(error.getResponseBodyAsString()).contains("counting");
	}

	@Test
	void aServersAnswerKeepsTheRequestThatWasSent() {
		MockClientHttpRequest sent = new MockClientHttpRequest(HttpMethod.GET, URI.create("https://127.0.0.1:9003/count"));
		ClientResponse answer = ExpectedUpstream.INSTANCE
			.filter(this.call, (request) -> Mono.just(ClientResponse.create(HttpStatus.INTERNAL_SERVER_ERROR)
				.request(sent)
				.build()))
			.block();
		assertThat(answer.createException().block())
			.hasMessage("500 Internal Server Error from GET https://127.0.0.1:9003/count");
	}

}
