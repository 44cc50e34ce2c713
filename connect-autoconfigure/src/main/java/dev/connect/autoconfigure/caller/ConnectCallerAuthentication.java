package dev.connect.autoconfigure.caller;

import java.util.List;
import java.util.Objects;

import dev.connect.identity.ServiceIdentity;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A mesh caller as Spring Security's {@code Authentication}: authenticated, its principal the caller's
 * {@link ServiceIdentity}, its name the service name ({@code dashboard}), and one authority,
 * {@value #AUTHORITY_PREFIX} followed by the service name ({@code SERVICE_dashboard}). It has no credentials: the
 * certificate was checked in the TLS handshake and the caller allowed by an intention before this was made.
 * <p>
 * So {@code @PreAuthorize("authentication.name == 'dashboard'")},
 * {@code hasAuthority("SERVICE_dashboard")} and {@code exchange.getPrincipal()} work with service names. The
 * namespace, partition, datacenter and trust domain are in the principal.
 */
public final class ConnectCallerAuthentication extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	/** The prefix of the caller's one authority, followed by its service name. */
	public static final String AUTHORITY_PREFIX = "SERVICE_";

	private final ServiceIdentity caller;

	/**
	 * Creates the authentication of a caller that the mesh already authenticated and intentions allowed (a test
	 * can make one to call a secured method as a service).
	 * @param caller the caller's identity
	 */
	public ConnectCallerAuthentication(ServiceIdentity caller) {
		super(List.of(new SimpleGrantedAuthority(AUTHORITY_PREFIX
				+ Objects.requireNonNull(caller, "'caller' must not be null").service())));
		this.caller = caller;
		setAuthenticated(true);
	}

	/**
	 * Returns the caller's identity.
	 * @return the caller
	 */
	@Override
	public ServiceIdentity getPrincipal() {
		return this.caller;
	}

	/**
	 * Returns nothing: the caller proved its identity in the TLS handshake, and no secret is kept.
	 * @return {@code null}
	 */
	@Override
	public @Nullable Object getCredentials() {
		return null;
	}

	/**
	 * Returns the caller's service name.
	 * @return for example {@code dashboard}
	 */
	@Override
	public String getName() {
		return this.caller.service();
	}

}
