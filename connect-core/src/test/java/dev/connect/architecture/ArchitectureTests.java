package dev.connect.architecture;

import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.connect");

	@Test
	void coreDoesNotDependOnSpring() {
		ArchitectureRules.noSpring().check(CLASSES);
	}

	@Test
	void packagesAreFreeOfCycles() {
		ArchitectureRules.noPackageCycles().check(CLASSES);
	}

	@Test
	void noStandardStreams() {
		ArchitectureRules.noStandardStreamsOrPrintStackTrace().check(CLASSES);
	}

	@Test
	void noDefaultLocaleCaseMapping() {
		ArchitectureRules.noDefaultLocaleCaseMapping().check(CLASSES);
	}

	@Test
	void onlyEntryAndApiTypesArePublic() {
		ArchitectureRules.onlyListedTypesArePublic(CLASSES, Set.of("dev.connect.identity.SpiffeId",
				"dev.connect.identity.TrustDomain", "dev.connect.identity.ServiceIdentity",
				"dev.connect.identity.InvalidIdentityException", "dev.connect.pki.SvidValidator",
				"dev.connect.pki.PeerRole", "dev.connect.pki.InvalidSvidException", "dev.connect.pki.Pem",
				"dev.connect.pki.ColonHex", "dev.connect.pki.KeyIdentifiers", "dev.connect.api.*",
				"dev.connect.client.AgentClient", "dev.connect.client.AgentClientSettings",
				"dev.connect.client.AgentException", "dev.connect.client.AgentCertificateSource",
				"dev.connect.tls.CertificateSnapshot", "dev.connect.tls.CertificateSource",
				"dev.connect.tls.SnapshotKeyManager", "dev.connect.tls.IdentityTrustManager",
				"dev.connect.authz.Authorizer", "dev.connect.authz.Decision", "dev.connect.authz.AgentAuthorizer",
				"dev.connect.authz.CachingAuthorizer", "dev.connect.mesh.UpstreamAddressBook", "dev.connect.mesh.UpstreamIdentity",
				"dev.connect.mesh.MeshHttpClients", "dev.connect.mesh.MeshConnectionPool",
				"dev.connect.mesh.SnapshotBoundSslContext",
				"dev.connect.mesh.UnexpectedPeerException", "dev.connect.authz.l7.L7Policy", "dev.connect.authz.l7.L7PolicySource",
				"dev.connect.authz.l7.L7Decision", "dev.connect.authz.l7.HttpRequestView",
				"dev.connect.authz.l7.RequestNormalization", "dev.connect.authz.l7.MalformedEntryException"));
	}

}
