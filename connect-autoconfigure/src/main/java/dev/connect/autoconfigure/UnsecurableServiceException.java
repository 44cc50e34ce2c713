package dev.connect.autoconfigure;

import java.util.Objects;

/**
 * Start-up refused a configuration the starter cannot secure: it would run or register a service unprotected, or
 * under a name it cannot prove. It carries what is wrong and what to do, for {@link UnsecurableServiceFailureAnalyzer}.
 * Create one with a factory method: each names the setting or annotation and the fix.
 */
public class UnsecurableServiceException extends IllegalStateException {

	static final String SERVLET = "@ConnectService is on a servlet application on %s: the starter secures servlet "
			+ "applications on Tomcat only (Spring Boot reloads SSL material on Tomcat and Reactor Netty, not on Jetty), "
			+ "so this port would serve plain HTTP with no authorization while being registered as Connect-native "
			+ "service '%s'.";

	static final String SERVLET_ACTION = "Run the service on Tomcat (spring-boot-starter-webmvc brings it; remove the "
			+ "exclusion of spring-boot-starter-tomcat and the other server) or on Spring WebFlux, or, for an "
			+ "application that only calls into the mesh, remove @ConnectService or set "
			+ "'connect.registration.enabled=false'.";

	static final String SERVER_OFF = "'connect.tls.server.enabled=false' turns the mesh server off (no mutual TLS, no "
			+ "authorization of callers), yet @ConnectService would register this plain port as Connect-native "
			+ "service '%s'.";

	static final String SERVER_OFF_ACTION = "Remove 'connect.tls.server.enabled=false' to serve the mesh, or also set "
			+ "'connect.registration.enabled=false' for an application that calls into the mesh but serves people "
			+ "outside it (the edge shape).";

	static final String NAME = "@ConnectService(name = \"%s\") contradicts the service identity '%s' (from %s): the "
			+ "service would be registered as '%s' but present the certificate of '%s', which callers of '%s' refuse.";

	static final String NAME_ACTION = "Use one name: remove 'name' from @ConnectService, or set %s to '%s'.";

	static final String NO_PORT = "@ConnectService '%s' has no port to register: the application runs no web server.";

	static final String NO_PORT_ACTION = "Run the application as a web application (Spring WebFlux, or Spring MVC on "
			+ "Tomcat), or set @ConnectService(port = ...) to the port of the server that serves the mesh.";

	private final String action;

	UnsecurableServiceException(String description, String action) {
		super(description);
		this.action = Objects.requireNonNull(action, "'action' must not be null");
	}

	/**
	 * Refuses a servlet application that would register as a Connect-native service.
	 * @param server the web server, for example {@code Tomcat}
	 * @param service the service name
	 * @return the exception
	 */
	public static UnsecurableServiceException servlet(String server, String service) {
		return new UnsecurableServiceException(String.format(SERVLET, server, service), SERVLET_ACTION);
	}

	/**
	 * Refuses a registration while the mesh server is switched off.
	 * @param service the service name
	 * @return the exception
	 */
	public static UnsecurableServiceException serverOff(String service) {
		return new UnsecurableServiceException(String.format(SERVER_OFF, service), SERVER_OFF_ACTION);
	}

	/**
	 * Refuses a registration under another name than the identity the certificate proves.
	 * @param registered the name on the annotation
	 * @param identity the service identity
	 * @param source where the identity comes from, for example {@code spring.application.name}
	 * @return the exception
	 */
	public static UnsecurableServiceException name(String registered, String identity, String source) {
		return new UnsecurableServiceException(
				String.format(NAME, registered, identity, source, registered, identity, registered),
				String.format(NAME_ACTION, source, registered));
	}

	/**
	 * Refuses a registration without a port.
	 * @param service the service name
	 * @return the exception
	 */
	public static UnsecurableServiceException noPort(String service) {
		return new UnsecurableServiceException(String.format(NO_PORT, service), NO_PORT_ACTION);
	}

	/**
	 * Returns what to do about it.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

}
