package dev.connect.autoconfigure.tls.server;

import dev.connect.autoconfigure.tls.ConnectSslBundleRegistrar;
import dev.connect.autoconfigure.tls.ConnectTlsAutoConfiguration;
import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.Ordered;

/**
 * Makes the reactive web server serve mutual TLS from the bundle {@code connect} with client auth <em>need</em>.
 * The user writes no {@code server.ssl.*} property; this customizer runs after Boot's own (order 0) and wins. After
 * the handshake, a connection is closed when it waits longer than {@code connect.tls.server.idle-timeout} for a
 * request, or takes longer than {@code connect.tls.server.request-header-timeout} to send a request's headers.
 */
@AutoConfiguration(after = ConnectTlsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(ConfigurableReactiveWebServerFactory.class)
@ConditionalOnBean(ConnectSslBundleRegistrar.class)
@ConditionalOnProperty(prefix = "connect.tls.server", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnectServerTlsProperties.class)
public final class ConnectServerTlsAutoConfiguration {

	ConnectServerTlsAutoConfiguration() {
	}

	@Bean
	WebServerFactoryCustomizer<ConfigurableReactiveWebServerFactory> connectServerTlsCustomizer(SslBundles bundles,
			Environment environment) {
		return new ServerTlsCustomizer(bundles, IgnoredServerSsl.in(environment));
	}

	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.reactor.netty.NettyServerCustomizer")
	NettyServerCustomizer connectHandshakeTimeout(ConnectServerTlsProperties properties) {
		Duration timeout = properties.getHandshakeTimeout();
		return (server) -> server.doOnChannelInit((observer, channel, remote) -> channel.pipeline()
			.addLast("connect.handshakeTimeout", new HandshakeTimeoutHandler(timeout)));
	}

	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.reactor.netty.NettyServerCustomizer")
	NettyServerCustomizer connectRequestDeadlines(ConnectServerTlsProperties properties) {
		Duration requestHeaderTimeout = properties.getRequestHeaderTimeout();
		Duration idleTimeout = properties.getIdleTimeout();
		return (server) -> server.doOnChannelInit((observer, channel, remote) -> RequestDeadlineHandlers.install(channel,
				requestHeaderTimeout, idleTimeout));
	}

	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.reactor.netty.NettyServerCustomizer")
	NettyServerCustomizer connectKeepAliveReadResumer() {
		return (server) -> server.doOnChannelInit((observer, channel, remote) -> channel.pipeline()
			.addLast("connect.keepAliveReadResumer", new KeepAliveReadResumer()));
	}

	static final class ServerTlsCustomizer
			implements WebServerFactoryCustomizer<ConfigurableReactiveWebServerFactory>, Ordered {

		private final SslBundles bundles;

		private final IgnoredServerSsl ignored;

		ServerTlsCustomizer(SslBundles bundles, IgnoredServerSsl ignored) {
			this.bundles = bundles;
			this.ignored = ignored;
		}

		@Override
		public void customize(ConfigurableReactiveWebServerFactory factory) {
			this.ignored.warnOnce();
			Ssl ssl = Ssl.forBundle(ConnectSslBundleRegistrar.BUNDLE);
			ssl.setClientAuth(Ssl.ClientAuth.NEED);
			factory.setSsl(ssl);
			factory.setSslBundles(this.bundles);
		}

		@Override
		public int getOrder() {
			return 10;
		}

	}

}
