package dev.connect.autoconfigure.tls.server;

import dev.connect.autoconfigure.tls.ConnectSslBundleRegistrar;
import dev.connect.autoconfigure.tls.ConnectTlsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Makes a servlet application's Tomcat serve mutual TLS from the bundle {@code connect} with client auth
 * <em>need</em>, as {@link ConnectServerTlsAutoConfiguration} does for Reactor Netty: the bundle's own managers
 * decide every handshake (the caller's chain validated as an X.509-SVID of this trust domain), TLS 1.3 and 1.2 with
 * AEAD suites only, and every update of the bundle gives Tomcat a new SSL context (no session resumed across it).
 * A client that stays silent during the handshake is closed after {@code connect.tls.server.handshake-timeout}; a
 * kept-alive connection waiting for its next request, after {@code connect.tls.server.idle-timeout}. A connection
 * serves any number of requests unless {@code server.tomcat.max-keep-alive-requests} is set (Tomcat's default, 100,
 * would make mesh callers pay a full mutual-TLS handshake every 100 requests). Jetty is not secured (the starter
 * refuses a {@code @ConnectService} on it).
 */
@AutoConfiguration(after = ConnectTlsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ TomcatServletWebServerFactory.class, org.apache.catalina.startup.Tomcat.class })
@ConditionalOnBean(ConnectSslBundleRegistrar.class)
@ConditionalOnProperty(prefix = "connect.tls.server", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnectServerTlsProperties.class)
public final class ConnectTomcatTlsAutoConfiguration {

	ConnectTomcatTlsAutoConfiguration() {
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> connectTomcatTlsCustomizer(SslBundles bundles,
			ConnectServerTlsProperties properties, Environment environment) {
		return new TomcatTlsCustomizer(bundles, properties, IgnoredServerSsl.in(environment),
				environment.containsProperty(TomcatMeshTls.MAX_KEEP_ALIVE_REQUESTS));
	}

	/** Runs after Boot's own customizers (order 0): Boot's {@code server.ssl} is replaced by the mesh's TLS. */
	static final class TomcatTlsCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

		private final SslBundles bundles;

		private final ConnectServerTlsProperties properties;

		private final IgnoredServerSsl ignored;

		private final boolean keepAliveLimitSet;

		TomcatTlsCustomizer(SslBundles bundles, ConnectServerTlsProperties properties, IgnoredServerSsl ignored,
				boolean keepAliveLimitSet) {
			this.bundles = bundles;
			this.properties = properties;
			this.ignored = ignored;
			this.keepAliveLimitSet = keepAliveLimitSet;
		}

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			this.ignored.warnOnce();
			factory.setSsl(null);
			factory.addConnectorCustomizers(new TomcatMeshTls(this.bundles, this.properties, this.keepAliveLimitSet));
		}

		@Override
		public int getOrder() {
			return 10;
		}

	}

}
