package dev.connect.authz.l7;

import java.util.List;

/**
 * A request's headers as L7 rules see them: names compared without regard to case, and headers whose name has an
 * underscore handled per {@code HeadersWithUnderscoresAction}.
 */
final class HeadersRead {

	private final HttpRequestView request;

	private final boolean dropUnderscores;

	private HeadersRead(HttpRequestView request, boolean dropUnderscores) {
		this.request = request;
		this.dropUnderscores = dropUnderscores;
	}

	/**
	 * @throws AmbiguousRequestException when a header name has an underscore and the mesh rejects such requests
	 */
	static HeadersRead of(HttpRequestView request, RequestNormalization.UnderscoreHeaders underscores) {
		if (underscores == RequestNormalization.UnderscoreHeaders.REJECT_REQUEST) {
			for (String name : request.headerNames()) {
				if (name.indexOf('_') >= 0) {
					throw new AmbiguousRequestException("the request has a header name with an underscore");
				}
			}
		}
		return new HeadersRead(request, underscores == RequestNormalization.UnderscoreHeaders.DROP_HEADER);
	}

	/**
	 * @param name the header name, in lower case
	 */
	List<String> values(String name) {
		if (this.dropUnderscores && name.indexOf('_') >= 0) {
			return List.of();
		}
		return this.request.headerValues(name);
	}

}
