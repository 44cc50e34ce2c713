package dev.connect.autoconfigure.caller;

import java.security.Principal;
import java.util.concurrent.atomic.AtomicReference;

import dev.connect.autoconfigure.authorization.IntentionAuthorizationWebFilter;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class CallerAuthenticationWebFilterTests {

	private static final ServiceIdentity DASHBOARD = ServiceIdentity
		.of(TrustDomain.parse("11111111-2222-3333-4444-555555555555.consul"), "dc1", "dashboard");

	/** The order of Spring Security's WebFilterChainProxy (WebFluxSecurityConfiguration, package-private there). */
	private static final int SPRING_SECURITY_ORDER = -100;

	private final CallerAuthenticationWebFilter filter = new CallerAuthenticationWebFilter();

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/count"));

	private final AtomicReference<Authentication> authentication = new AtomicReference<>();

	private final AtomicReference<Principal> principal = new AtomicReference<>();

	private final WebFilterChain chain = (exchange) -> ReactiveSecurityContextHolder.getContext()
		.map(SecurityContext::getAuthentication)
		.doOnNext(this.authentication::set)
		.then(exchange.getPrincipal().doOnNext(this.principal::set))
		.then();

	@Test
	void aCallerIsTheAuthenticationNamedByItsServiceWithOneServiceAuthority() {
		this.exchange.getAttributes().put(ConnectCaller.ATTRIBUTE, DASHBOARD);
		this.filter.filter(this.exchange, this.chain).block();
		Authentication authentication = this.authentication.get();
		assertThat(authentication).isInstanceOf(ConnectCallerAuthentication.class);
		assertThat(authentication.isAuthenticated()).isTrue();
		assertThat(authentication.getName()).isEqualTo("dashboard");
		assertThat(authentication.getPrincipal()).isSameAs(DASHBOARD);
		assertThat(authentication.getCredentials()).isNull();
		assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("SERVICE_dashboard");
		assertThat(this.principal.get()).isSameAs(authentication);
	}

	@Test
	void aRequestWithoutACallerPassesWithoutAnAuthentication() {
		this.filter.filter(this.exchange, this.chain).block();
		assertThat(this.authentication.get()).isNull();
		assertThat(this.principal.get()).isNull();
	}

	@Test
	void itRunsAfterTheAuthorizationFilterAndBeforeSpringSecurity() {
		// The order does not depend on the collaborators, none of which is used here.
		IntentionAuthorizationWebFilter authorization = new IntentionAuthorizationWebFilter((caller) -> Mono.empty(),
				null, () -> 0, () -> null, "counting");
		assertThat(this.filter.getOrder()).isGreaterThan(authorization.getOrder())
			.isLessThan(SPRING_SECURITY_ORDER);
	}

}
