package dev.connect.autoconfigure.client;

import java.io.IOException;
import java.net.ConnectException;

import javax.net.ssl.SSLHandshakeException;

import dev.connect.mesh.MeshHttpClients;
import dev.connect.mesh.UnexpectedPeerException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The blocking clients' {@link ExpectedUpstream}: first among a {@code @LoadBalanced RestClient}'s or
 * {@code RestTemplate}'s interceptors, it states which service the call is meant for (the host of the URL as the
 * application wrote it, before the load balancer replaces it with an instance's address), so that
 * {@link MeshClientHttpRequestFactory} sends it only to a server that proved that service. When the call failed
 * before any byte of it was sent (connection refused, TLS handshake failed, or the server proved another service),
 * it is sent once more through the load balancer, which picks the next instance; a failure after sending is not
 * retried, whatever the method. With Spring Retry present, Spring Cloud's retrying interceptor does that instead.
 */
final class ExpectedUpstreamInterceptor implements ClientHttpRequestInterceptor {

	private final boolean retry;

	ExpectedUpstreamInterceptor(boolean retry) {
		this.retry = retry;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		String service = request.getURI().getHost();
		if (service == null) {
			return execution.execute(request, body);
		}
		request.getAttributes().put(MeshHttpClients.UPSTREAM_SERVICE, service);
		try {
			return execution.execute(request, body);
		}
		catch (IOException ex) {
			if (!this.retry || !nothingWasSent(ex)) {
				throw ex;
			}
			return execution.execute(request, body);
		}
	}

	static boolean nothingWasSent(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof SSLHandshakeException
					|| cause instanceof UnexpectedPeerException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
