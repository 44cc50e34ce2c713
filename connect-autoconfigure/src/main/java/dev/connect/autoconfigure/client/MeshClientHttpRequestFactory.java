package dev.connect.autoconfigure.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

import dev.connect.mesh.MeshHttpClients;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The mesh client of {@code RestClient} and {@code RestTemplate}: each request goes out on the same mesh-secure
 * Reactor Netty client (and connection pool) as the {@code WebClient}'s, with no TLS of its own. When the request
 * carries the attribute {@link MeshHttpClients#UPSTREAM_SERVICE} (set by {@link ExpectedUpstreamInterceptor} from the
 * URL as written), it is sent only on a connection whose server proved that service, exactly as a WebClient call.
 * Request and response bodies are buffered (mesh calls are API calls, not streams).
 */
final class MeshClientHttpRequestFactory implements ClientHttpRequestFactory {

	private static final byte[] EMPTY = new byte[0];

	private final HttpClient client;

	MeshClientHttpRequestFactory(HttpClient client) {
		this.client = client;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod method) {
		return new MeshRequest(this.client, uri, method);
	}

	private static final class MeshRequest extends AbstractClientHttpRequest {

		private final HttpClient client;

		private final URI uri;

		private final HttpMethod method;

		private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

		MeshRequest(HttpClient client, URI uri, HttpMethod method) {
			this.client = client;
			this.uri = uri;
			this.method = method;
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		protected OutputStream getBodyInternal(HttpHeaders headers) {
			return this.body;
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
			byte[] content = this.body.toByteArray();
			Object service = getAttributes().get(MeshHttpClients.UPSTREAM_SERVICE);
			Mono<MeshResponse> exchange = this.client
				.headers((out) -> headers.forEach(out::set))
				.request(io.netty.handler.codec.http.HttpMethod.valueOf(this.method.name()))
				.uri(this.uri)
				.send((request, out) -> (content.length > 0) ? out.sendByteArray(Mono.just(content)) : out)
				.responseSingle((response, received) -> received.asByteArray()
					.defaultIfEmpty(EMPTY)
					.map((bytes) -> new MeshResponse(response.status(), copy(response.responseHeaders()), bytes)));
			if (service instanceof String expected) {
				exchange = exchange.contextWrite((context) -> context.put(MeshHttpClients.UPSTREAM_SERVICE, expected));
			}
			try {
				MeshResponse response = exchange.block();
				if (response == null) {
					throw new IOException("No answer from " + this.method + " " + this.uri);
				}
				return response;
			}
			catch (RuntimeException ex) {
				Throwable cause = Exceptions.unwrap(ex);
				throw (cause instanceof IOException io) ? io : new IOException(cause.getMessage(), cause);
			}
		}

		private static HttpHeaders copy(io.netty.handler.codec.http.HttpHeaders received) {
			HttpHeaders headers = new HttpHeaders();
			received.forEach((entry) -> headers.add(entry.getKey(), entry.getValue()));
			return headers;
		}

	}

	private static final class MeshResponse implements ClientHttpResponse {

		private final HttpResponseStatus status;

		private final HttpHeaders headers;

		private final byte[] body;

		MeshResponse(HttpResponseStatus status, HttpHeaders headers, byte[] body) {
			this.status = status;
			this.headers = headers;
			this.body = body;
		}

		@Override
		public HttpStatusCode getStatusCode() {
			return HttpStatusCode.valueOf(this.status.code());
		}

		@Override
		public String getStatusText() {
			return this.status.reasonPhrase();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(this.body);
		}

		@Override
		public void close() {
		}

	}

}
