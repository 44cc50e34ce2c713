package dev.connect.test.architecture;

import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.connect.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

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
		ArchitectureRules.onlyListedTypesArePublic(CLASSES,
				Set.of("dev.connect.test.ConnectDevAgent", "dev.connect.test.DevAgentExtension",
						"dev.connect.test.TestMesh", "dev.connect.test.MeshTestClient",
						"dev.connect.test.SvidAuthority", "dev.connect.test.HeldSvid"));
	}

}
