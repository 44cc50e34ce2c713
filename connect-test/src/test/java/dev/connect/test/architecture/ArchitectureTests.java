package dev.connect.test.architecture;

import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.connect.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.connect.test");

	@Test
	void packagesAreFreeOfCycles() {
		ArchitectureRules.noPackageCycles().check(CLASSES);
	}

	@Test
	void noStandardStreamsAndNoDefaultLocaleCaseMapping() {
		ArchitectureRules.noStandardStreamsOrPrintStackTrace().check(CLASSES);
		ArchitectureRules.noDefaultLocaleCaseMapping().check(CLASSES);
	}

	@Test
	void onlyTheTestKitIsPublic() {
		ArchitectureRules.onlyListedTypesArePublic(CLASSES, Set.of(
				// Spring tests: a dev agent per application context.
				"dev.connect.test.ConnectDevAgent",
				// Plain JUnit 5: a dev agent per test class.
				"dev.connect.test.DevAgentExtension",
				// The running agent: intentions, callers, stubs.
				"dev.connect.test.TestMesh",
				// Calls as a mesh identity, any method, body and headers.
				"dev.connect.test.MeshTestClient",
				// Spring's WebTestClient as a mesh identity; apart from MeshTestClient so that the rest needs no Spring.
				"dev.connect.test.MeshWebTestClient",
				// A mesh server answering as a named service, registered with the test agent.
				"dev.connect.test.StubUpstream",
				// A certificate source whose snapshots the test publishes.
				"dev.connect.test.ChangingCertificateSource",
				// SPIFFE test certificates without an agent.
				"dev.connect.test.SvidAuthority", "dev.connect.test.HeldSvid",
				// Vault's PKI and token API for CA provider tests where no vault binary runs.
				"dev.connect.test.VaultPkiTestServer"));
	}

	@Test
	void onlyTheSpringTestSupportUsesSpring() {
		noClasses().that()
			.haveNameNotMatching("dev\\.connect\\.test\\.(DevAgentContextCustomizerFactory|MeshWebTestClient)(\\$.*)?")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.because("the JUnit extension, TestMesh, MeshTestClient and StubUpstream must work without Spring")
			.check(CLASSES);
	}

}
