package dev.connect.autoconfigure.authorization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.function.IntSupplier;

import dev.connect.autoconfigure.caller.ConnectCaller;
import dev.connect.identity.ServiceIdentity;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * The servlet form of {@link IntentionAuthorizationWebFilter}: the same {@link CallerCheck} decides about every
 * request on the mesh port, before any other filter (Spring Security's included), and a refused request never
 * reaches the next filter nor the handler. The decision is awaited on the request's thread (a cached decision at
 * once; otherwise at most {@code connect.authorization.timeout}). The caller's chain is the one the servlet
 * container read from the TLS session ({@code jakarta.servlet.request.X509Certificate}); a plain request on the mesh
 * port is refused, a plain one on another port (a separate management server) passes.
 */
final class IntentionAuthorizationServletFilter implements Filter {

	static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

	static final String CIPHER_SUITE = "jakarta.servlet.request.cipher_suite";

	private final CallerCheck check;

	private final IntSupplier meshPort;

	IntentionAuthorizationServletFilter(CallerCheck check, IntSupplier meshPort) {
		this.check = check;
		this.meshPort = meshPort;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest http = (HttpServletRequest) request;
		HttpServletResponse out = (HttpServletResponse) response;
		if (http.getAttribute(CIPHER_SUITE) == null) {
			if (http.getLocalPort() == this.meshPort.getAsInt()) {
				problem(out, HttpStatus.FORBIDDEN, CallerCheck.NO_IDENTITY, false);
				return;
			}
			chain.doFilter(request, response);
			return;
		}
		CallerCheck.Outcome outcome = this.check.check(certificates(http), new ServletRequestView(http)).block();
		if (outcome == null) {
			outcome = CallerCheck.Outcome.refused(503, CallerCheck.UNAVAILABLE, false);
		}
		if (!outcome.allowed()) {
			problem(out, HttpStatus.valueOf(outcome.status()), String.valueOf(outcome.detail()), outcome.close());
			return;
		}
		ServiceIdentity caller = outcome.caller();
		if (caller != null) {
			http.setAttribute(ConnectCaller.ATTRIBUTE, caller);
		}
		chain.doFilter(request, response);
	}

	private static X509Certificate @Nullable [] certificates(HttpServletRequest request) {
		Object chain = request.getAttribute(CERTIFICATES);
		return (chain instanceof X509Certificate[] certificates) ? certificates : null;
	}

	private static void problem(HttpServletResponse response, HttpStatus status, String detail, boolean close)
			throws IOException {
		byte[] body = CallerCheck.problem(status.value(), status.getReasonPhrase(), detail)
			.getBytes(StandardCharsets.UTF_8);
		response.setStatus(status.value());
		response.setContentType(IntentionAuthorizationWebFilter.PROBLEM.toString());
		response.setContentLength(body.length);
		if (close) {
			// Valid at the handshake, not any more: the container closes the connection after this response.
			response.setHeader("Connection", "close");
		}
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

}
