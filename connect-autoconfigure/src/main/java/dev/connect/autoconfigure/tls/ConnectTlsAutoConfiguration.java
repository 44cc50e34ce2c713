package dev.connect.autoconfigure.tls;

import dev.connect.autoconfigure.ConnectAutoConfiguration;
import dev.connect.tls.CertificateSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Registers the SSL bundle {@code connect} from the certificate source.
 */
@AutoConfiguration(after = ConnectAutoConfiguration.class, before = SslAutoConfiguration.class)
@ConditionalOnClass(name = "io.netty.handler.ssl.util.KeyManagerFactoryWrapper")
@ConditionalOnBean(CertificateSource.class)
public final class ConnectTlsAutoConfiguration {

	ConnectTlsAutoConfiguration() {
	}

	@Bean
	ConnectSslBundleRegistrar connectSslBundleRegistrar(CertificateSource source) {
		return new ConnectSslBundleRegistrar(source);
	}

}
