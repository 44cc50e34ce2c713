package dev.connect.autoconfigure.authorization;

import java.time.Clock;
import java.util.function.IntSupplier;

import dev.connect.authz.AgentAuthorizer;
import dev.connect.authz.Authorizer;
import dev.connect.authz.CachingAuthorizer;
import dev.connect.authz.l7.L7PolicySource;
import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.autoconfigure.ConnectProperties;
import dev.connect.autoconfigure.tls.server.ConnectServerTlsAutoConfiguration;
import dev.connect.client.AgentClient;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Authorizes every request on the mesh port against intentions. Active for web applications whose server serves
 * mesh TLS (the caller's identity comes from its certificate): the decisions, their cache and the intention watch are
 * here, with the reactive {@link IntentionAuthorizationWebFilter}; the servlet filter is
 * {@link ConnectServletAuthorizationAutoConfiguration}'s.
 */
@AutoConfiguration(after = { ConnectAutoConfiguration.class, ConnectServerTlsAutoConfiguration.class })
@ConditionalOnWebApplication
@ConditionalOnBean({ AgentClient.class, CertificateSource.class })
@ConditionalOnProperty(prefix = "connect.authorization", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnectAuthorizationProperties.class)
public final class ConnectAuthorizationAutoConfiguration {

	ConnectAuthorizationAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	CachingAuthorizer connectAuthorizer(AgentClient client, CertificateSource source, ConnectProperties connect,
			ConnectAuthorizationProperties properties, Environment environment) {
		String service = connect.resolveService(environment);
		AgentAuthorizer agent = new AgentAuthorizer(client, service, () -> {
			CertificateSnapshot snapshot = source.current();
			return (snapshot != null) ? snapshot.trustDomain() : null;
		}, properties.getTimeout());
		CachingAuthorizer cache = new CachingAuthorizer(agent, properties.getRefresh(), properties.getMaxStale(),
				Clock.systemUTC());
		// Decisions about the old mesh's callers mean nothing in a new trust domain, not even to fail static.
		source.onTrustDomainChange((previous, next) -> cache.clear());
		return cache;
	}

	@Bean
	IntentionWatch connectIntentionWatch(AgentClient client, CachingAuthorizer authorizer, ConnectProperties connect,
			Environment environment) {
		return new IntentionWatch(client, connect.resolveService(environment), authorizer);
	}

	/** The L7 intentions in force for this service, followed by blocking watches on its config entries. */
	@Bean
	@ConditionalOnMissingBean
	L7PolicySource connectL7Policy(AgentClient client, ConnectProperties connect, Environment environment) {
		return L7PolicySource.watch(client, connect.resolveService(environment), IntentionWatch.WAIT);
	}

	@Bean
	RecentDenials connectRecentDenials() {
		return new RecentDenials(Clock.systemUTC());
	}

	@Bean
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnProperty(prefix = "connect.tls.server", name = "enabled", matchIfMissing = true)
	IntentionAuthorizationWebFilter connectAuthorizationWebFilter(CachingAuthorizer authorizer,
			ObjectProvider<AuthorizerDecorator> decorators, RecentDenials denials, CertificateSource source,
			L7PolicySource l7, ConnectProperties connect, Environment environment) {
		return new IntentionAuthorizationWebFilter(
				callerCheck(authorizer, decorators, denials, source, l7, connect.resolveService(environment)),
				meshPort(environment));
	}

	/** The decision shared by both web stacks' filters, over the decorated authorizer. */
	static CallerCheck callerCheck(CachingAuthorizer authorizer, ObjectProvider<AuthorizerDecorator> decorators,
			RecentDenials denials, CertificateSource source, L7PolicySource l7, String service) {
		Authorizer decorated = authorizer;
		for (AuthorizerDecorator decorator : decorators.orderedStream().toList()) {
			decorated = decorator.decorate(decorated);
		}
		return new CallerCheck(decorated, denials, () -> {
			CertificateSnapshot snapshot = source.current();
			return (snapshot != null) ? snapshot.validator() : null;
		}, new DenialLog(service, Clock.systemUTC()), Clock.systemUTC(), l7::current, () -> {
			CertificateSnapshot snapshot = source.current();
			return (snapshot != null) ? snapshot.trustDomain() : null;
		});
	}

	static IntSupplier meshPort(Environment environment) {
		return () -> environment.getProperty("local.server.port", Integer.class, -1);
	}

}
