package dev.connect.autoconfigure.caller;

import java.io.IOException;
import java.security.Principal;

import dev.connect.identity.ServiceIdentity;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * The servlet form of {@link CallerAuthenticationWebFilter}: after the authorization filter set the caller (only once
 * an intention allowed it), and before Spring Security's filter chain, the caller becomes the request's
 * {@link ConnectCallerAuthentication}. It is saved where Spring Security's default context repository looks first
 * (the request attribute of {@link RequestAttributeSecurityContextRepository}), so Spring Security loads it instead of
 * a session's, and it is the request's principal. A request without a caller passes untouched.
 */
final class CallerAuthenticationServletFilter implements Filter {

	/** After the authorization filter ({@code HIGHEST_PRECEDENCE + 10}), well before Spring Security's ({@code -100}). */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	private final RequestAttributeSecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		Object caller = request.getAttribute(ConnectCaller.ATTRIBUTE);
		if (!(caller instanceof ServiceIdentity service)) {
			chain.doFilter(request, response);
			return;
		}
		ConnectCallerAuthentication authentication = new ConnectCallerAuthentication(service);
		SecurityContext context = this.holder.createEmptyContext();
		context.setAuthentication(authentication);
		this.repository.saveContext(context, (HttpServletRequest) request, (HttpServletResponse) response);
		this.holder.setContext(context);
		try {
			chain.doFilter(new CallerRequest((HttpServletRequest) request, authentication), response);
		}
		finally {
			this.holder.clearContext();
		}
	}

	/** The request with the caller as its principal. */
	private static final class CallerRequest extends HttpServletRequestWrapper {

		private final ConnectCallerAuthentication caller;

		CallerRequest(HttpServletRequest request, ConnectCallerAuthentication caller) {
			super(request);
			this.caller = caller;
		}

		@Override
		public Principal getUserPrincipal() {
			return this.caller;
		}

		@Override
		public String getRemoteUser() {
			return this.caller.getName();
		}

	}

}
