package dev.connect.autoconfigure.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.connect.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;

class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.connect.autoconfigure");

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
	void onlyTheDevAgentPackageMayUseTheAgent() {
		noClasses().that()
			.resideOutsideOfPackage("dev.connect.autoconfigure.devagent..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.connect.agent..")
			.check(CLASSES);
	}

	@Test
	void autoConfigurationsArePublicFinalWithoutPublicMembers() {
		classes().that()
			.haveSimpleNameEndingWith("AutoConfiguration")
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(CLASSES);
		noMembers().that()
			.areDeclaredInClassesThat()
			.haveSimpleNameEndingWith("AutoConfiguration")
			.and()
			.arePublic()
			.and()
			.areNotDeclaredIn(Object.class)
			.should()
			.bePublic()
			.allowEmptyShould(true)
			.check(CLASSES.that(com.tngtech.archunit.base.DescribedPredicate.describe("auto-configurations",
					(javaClass) -> javaClass.getSimpleName().endsWith("AutoConfiguration"))));
	}

}
