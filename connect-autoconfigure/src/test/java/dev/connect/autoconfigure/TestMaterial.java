package dev.connect.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.SvidValidator;
import dev.connect.pki.TestPki;
import dev.connect.pki.TestPki.Issued;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;

/** Certificate material for context-runner tests that need no agent. */
public final class TestMaterial {

	private TestMaterial() {
	}

	public static CertificateSource source(String service) {
		TrustDomain td = TrustDomain.parse("11111111-2222-3333-4444-555555555555.consul");
		Issued root = TestPki.root(td.name());
		ServiceIdentity identity = ServiceIdentity.of(td, "dc1", service);
		Issued leaf = TestPki.leaf(identity.toString())
			.validity(Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600))
			.signedBy(root);
		List<java.security.cert.X509Certificate> roots = List.of(root.certificate());
		return CertificateSource.of(new CertificateSnapshot(1, identity, List.of(leaf.certificate()),
				leaf.keyPair().getPrivate(), roots, td, SvidValidator.of(roots, Clock.systemUTC())));
	}

}
