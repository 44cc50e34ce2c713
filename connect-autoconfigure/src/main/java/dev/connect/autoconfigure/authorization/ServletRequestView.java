package dev.connect.autoconfigure.authorization;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.connect.authz.l7.HttpRequestView;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A servlet request as L7 intentions read it: {@link HttpServletRequest#getRequestURI()}, the path as received (not
 * decoded, path parameters kept, without the query), and the container's headers, looked up without regard to
 * case.
 */
record ServletRequestView(HttpServletRequest request) implements HttpRequestView {

	@Override
	public String method() {
		return this.request.getMethod();
	}

	@Override
	public String rawPath() {
		return this.request.getRequestURI();
	}

	@Override
	public Set<String> headerNames() {
		return new LinkedHashSet<>(Collections.list(this.request.getHeaderNames()));
	}

	@Override
	public List<String> headerValues(String name) {
		return Collections.list(this.request.getHeaders(name));
	}

}
