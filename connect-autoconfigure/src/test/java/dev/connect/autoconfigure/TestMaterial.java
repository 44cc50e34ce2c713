package dev.connect.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.connect.identity.ServiceIdentity;
import dev.connect.pki.SvidValidator;
import dev.connect.test.HeldSvid;
import dev.connect.test.SvidAuthority;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;

/** Certificate material for context-runner tests that need no agent, from connect-test's {@link SvidAuthority}. */
public final class TestMaterial {

	private TestMaterial() {
	}

	public static CertificateSource source(String service) {
		SvidAuthority ca = SvidAuthority.builder().trustDomain("11111111-2222-3333-4444-555555555555.consul").build();
		return source(ca, ca.leaf(service).validity(Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600)).build(),
				service);
	}

	/** A fixed source presenting a leaf the authority issued for the service and trusting the authority's root. */
	public static CertificateSource source(SvidAuthority ca, HeldSvid leaf, String service) {
		ServiceIdentity identity = ServiceIdentity.of(ca.trustDomain(), "dc1", service);
		List<java.security.cert.X509Certificate> roots = List.of(ca.root().certificate());
		return CertificateSource.of(new CertificateSnapshot(1, identity, List.of(leaf.certificate()),
				leaf.keyPair().getPrivate(), roots, ca.trustDomain(), SvidValidator.of(roots, Clock.systemUTC())));
	}

}
