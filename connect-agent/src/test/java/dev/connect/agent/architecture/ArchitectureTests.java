package dev.connect.agent.architecture;

import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.connect.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.connect.agent");

	@Test
	void agentDoesNotDependOnSpring() {
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
		ArchitectureRules.onlyListedTypesArePublic(CLASSES, Set.of("dev.connect.agent.ca.CertificateAuthority",
				"dev.connect.agent.ca.CaConfig", "dev.connect.agent.ca.RootCertificate",
				"dev.connect.agent.ca.IssuedLeaf", "dev.connect.agent.ca.RateLimitedException",
				"dev.connect.agent.ca.CaStore", "dev.connect.agent.ca.ProviderConfig", "dev.connect.agent.ca.SvidProfile", "dev.connect.agent.DevAgent", "dev.connect.agent.DevAgentSettings",
				"dev.connect.agent.DevAgentMain", "dev.connect.agent.http.AgentHttpServer",
				"dev.connect.agent.index.ChangeIndex", "dev.connect.agent.index.BlockingQuery",
				"dev.connect.agent.index.QueryOptions", "dev.connect.agent.index.Topic",
				"dev.connect.agent.leafcert.LeafCertificates",
				"dev.connect.agent.intentions.IntentionStore", "dev.connect.agent.intentions.IntentionDecision",
				"dev.connect.agent.intentions.InvalidIntentionException", "dev.connect.agent.catalog.Catalog",
				"dev.connect.agent.catalog.CheckRunner", "dev.connect.agent.catalog.CheckState",
				"dev.connect.agent.catalog.ServiceInstance", "dev.connect.agent.catalog.ExternalNode",
				"dev.connect.agent.catalog.ExternalRegistration", "dev.connect.agent.catalog.ExternalNodes",
				"dev.connect.agent.catalog.InvalidRegistrationException",
				"dev.connect.agent.catalog.UnknownCheckException", "dev.connect.agent.ca.CaSnapshot", "dev.connect.agent.config.ConfigEntryStore",
				"dev.connect.agent.config.ConfigEntry", "dev.connect.agent.config.InvalidConfigEntryException"));
	}

}
