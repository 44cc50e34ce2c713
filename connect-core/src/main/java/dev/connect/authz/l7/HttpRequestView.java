package dev.connect.authz.l7;

import java.util.List;
import java.util.Set;

/**
 * The parts of one HTTP request that L7 intentions match on, as the web server received them. Adapters for each web
 * stack implement it over their request type without copying.
 */
public interface HttpRequestView {

	/**
	 * The request method as sent, for example {@code GET}.
	 * @return the method
	 */
	String method();

	/**
	 * The path as sent on the request line: still percent-encoded, with any path parameters, without the query.
	 * @return the raw path
	 */
	String rawPath();

	/**
	 * The names of the request's headers, each once, in any case.
	 * @return the header names
	 */
	Set<String> headerNames();

	/**
	 * Every value of one header, in the order received.
	 * @param name the header name, compared without regard to case
	 * @return the values, empty when the header is absent
	 */
	List<String> headerValues(String name);

}
