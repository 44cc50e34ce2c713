package dev.connect.agent.ca;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import dev.connect.pki.Pem;

/**
 * TLS towards Vault from {@code CAFile}/{@code CAPath}, {@code CertFile}+{@code KeyFile}, {@code TLSServerName} and
 * {@code TLSSkipVerify}, as Consul's Vault client config has them. Files that cannot be read are refused naming the
 * field and the file.
 */
final class VaultTls {

	private VaultTls() {
	}

	/** The SSL context, with the JDK's trust unless {@code CAFile} or {@code CAPath} names others. */
	static SSLContext context(VaultSettings.Tls tls) {
		try {
			KeyManagerFactory keys = null;
			if (!tls.certFile().isEmpty()) {
				List<X509Certificate> chain = Pem.parseCertificates(read("CertFile", tls.certFile()));
				PrivateKey key = Pem.parsePrivateKey(read("KeyFile", tls.keyFile()));
				KeyStore store = KeyStore.getInstance("PKCS12");
				store.load(null, null);
				store.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
				keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				keys.init(store, new char[0]);
			}
			X509TrustManager trust = tls.skipVerify() ? new AnyCertificate() : trust(tls);
			if (!tls.serverName().isEmpty() && !tls.skipVerify()) {
				trust = new NamedServer(trust, tls.serverName());
			}
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((keys != null) ? keys.getKeyManagers() : null, new TrustManager[] { trust }, null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalArgumentException("Unable to set up TLS to Vault: " + ex.getMessage(), ex);
		}
	}

	/** SNI for {@code TLSServerName}, when given. */
	static SSLParameters parameters(VaultSettings.Tls tls) {
		SSLParameters parameters = new SSLParameters();
		if (!tls.serverName().isEmpty()) {
			parameters.setServerNames(List.of(new SNIHostName(tls.serverName())));
		}
		return parameters;
	}

	private static X509TrustManager trust(VaultSettings.Tls tls) throws GeneralSecurityException, IOException {
		KeyStore anchors = null;
		List<String> pems = new ArrayList<>();
		if (!tls.caFile().isEmpty()) {
			pems.add(read("CAFile", tls.caFile()));
		}
		if (!tls.caPath().isEmpty()) {
			try (Stream<Path> files = Files.list(Path.of(tls.caPath()))) {
				for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
					pems.add(read("CAPath", file.toString()));
				}
			}
			catch (IOException ex) {
				throw new IllegalArgumentException("CAPath '" + tls.caPath() + "' cannot be listed: " + ex, ex);
			}
		}
		if (!pems.isEmpty()) {
			anchors = KeyStore.getInstance("PKCS12");
			anchors.load(null, null);
			int i = 0;
			for (String pem : pems) {
				for (X509Certificate certificate : Pem.parseCertificates(pem)) {
					anchors.setCertificateEntry("ca-" + i++, certificate);
				}
			}
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(anchors);
		for (TrustManager manager : factory.getTrustManagers()) {
			if (manager instanceof X509TrustManager x509) {
				return x509;
			}
		}
		throw new GeneralSecurityException("no X.509 trust manager");
	}

	private static String read(String field, String file) {
		try {
			return Files.readString(Path.of(file));
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException(field + " '" + file + "' cannot be read: " + ex, ex);
		}
	}

	/**
	 * Checks the chain, then Vault's name against {@code TLSServerName} rather than the address's host; so this
	 * checks the chain with the two-argument method, which does no endpoint identification of its own.
	 */
	private static final class NamedServer extends ServerTrust {

		private final X509TrustManager delegate;

		private final String serverName;

		NamedServer(X509TrustManager delegate, String serverName) {
			this.delegate = delegate;
			this.serverName = serverName;
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			this.delegate.checkServerTrusted(chain, authType);
			if (!names(chain[0]).contains(this.serverName)) {
				throw new CertificateException("Vault's certificate does not name TLSServerName '" + this.serverName
						+ "' among its DNS names " + names(chain[0]));
			}
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			checkServerTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			checkServerTrusted(chain, authType);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return this.delegate.getAcceptedIssuers();
		}

		private static List<String> names(X509Certificate certificate) throws CertificateParsingException {
			List<String> names = new ArrayList<>();
			if (certificate.getSubjectAlternativeNames() != null) {
				for (List<?> name : certificate.getSubjectAlternativeNames()) {
					if (Integer.valueOf(2).equals(name.get(0))) {
						names.add(String.valueOf(name.get(1)));
					}
				}
			}
			return names;
		}

	}

	/** {@code TLSSkipVerify}: any certificate and any name, as Consul's option does. */
	private static final class AnyCertificate extends ServerTrust {

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
			// TLSSkipVerify: the operator chose to trust any server.
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
			// TLSSkipVerify.
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
			// TLSSkipVerify.
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

	/** A trust manager of a client: it checks servers only and refuses to judge a client. */
	private abstract static class ServerTrust extends X509ExtendedTrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("not a server");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			throw new CertificateException("not a server");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			throw new CertificateException("not a server");
		}

	}

}
