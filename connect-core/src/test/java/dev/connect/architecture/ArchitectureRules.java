package dev.connect.architecture;

import java.util.Locale;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules every module checks against its own classes (see each module's ArchitectureTests).
 */
public final class ArchitectureRules {

	private ArchitectureRules() {
	}

	/** Core, agent and proxy stay usable without Spring. */
	public static ArchRule noSpring() {
		return noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
			.because("connect-core, connect-agent and connect-proxy must not drag Spring in");
	}

	/** Packages form no cycles. */
	public static ArchRule noPackageCycles() {
		return slices().matching("dev.connect.(**)").should().beFreeOfCycles();
	}

	/**
	 * Output goes through loggers; only a {@code *Main} class hands {@code System.out} and {@code System.err} to
	 * the code it runs.
	 */
	public static ArchRule noStandardStreamsOrPrintStackTrace() {
		return noClasses().that()
			.haveSimpleNameNotEndingWith("Main")
			.should()
			.accessField(System.class, "out")
			.orShould().accessField(System.class, "err")
			.orShould().callMethod(Throwable.class, "printStackTrace")
			.because("diagnostics go to a logger; CLI output goes to a stream the main class passes in");
	}

	/** Case mapping never depends on the default locale (the Turkish dotless i). */
	public static ArchRule noDefaultLocaleCaseMapping() {
		return noClasses().should().callMethod(String.class, "toLowerCase")
			.orShould().callMethod(String.class, "toUpperCase")
			.because("use toLowerCase(Locale.ROOT): " + Locale.ROOT.getClass().getSimpleName()
					+ " keeps identifiers stable under every default locale");
	}

	/**
	 * Only the entry and API types of each package are public: a new public type must be added to the list on
	 * purpose. An entry {@code some.package.*} allows every type of a package of wire records.
	 */
	public static void onlyListedTypesArePublic(JavaClasses classes, Set<String> allowed) {
		DescribedPredicate<JavaClass> listed = DescribedPredicate.describe("be listed as public API",
				(javaClass) -> allowed.contains(javaClass.getName()) || allowed.contains(javaClass.getPackageName() + ".*")
						|| javaClass.getName().endsWith("package-info"));
		ArchRule rule = classes().that()
			.haveModifier(JavaModifier.PUBLIC)
			.and()
			.areTopLevelClasses()
			.should(ArchCondition.from(listed))
			.because("one public entry type per package; everything else is package-private");
		rule.check(classes);
	}

}
