package dev.connect.autoconfigure.architecture;

import java.util.Set;

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
	void onlyEntryAndApiTypesArePublic() {
		ArchitectureRules.onlyListedTypesArePublic(CLASSES, Set.of(
				// The root: settings, and the failure users see when the agent cannot be reached.
				"dev.connect.autoconfigure.ConnectAutoConfiguration", "dev.connect.autoconfigure.ConnectProperties",
				"dev.connect.autoconfigure.AgentUnreachableException",
				"dev.connect.autoconfigure.UnsecurableServiceException",
				"dev.connect.autoconfigure.tls.ConnectTlsAutoConfiguration",
				// A bean other features' conditions name.
				"dev.connect.autoconfigure.tls.ConnectSslBundleRegistrar",
				"dev.connect.autoconfigure.tls.server.ConnectServerTlsAutoConfiguration",
				"dev.connect.autoconfigure.tls.server.ConnectServerTlsProperties",
				"dev.connect.autoconfigure.tls.server.ConnectTomcatTlsAutoConfiguration",
				"dev.connect.autoconfigure.authorization.ConnectAuthorizationAutoConfiguration",
				"dev.connect.autoconfigure.authorization.ConnectAuthorizationProperties",
				"dev.connect.autoconfigure.authorization.ConnectServletAuthorizationAutoConfiguration",
				// The filter bean, its extension point, and the denials the endpoint shows.
				"dev.connect.autoconfigure.authorization.IntentionAuthorizationWebFilter",
				"dev.connect.autoconfigure.authorization.AuthorizerDecorator",
				"dev.connect.autoconfigure.authorization.RecentDenials",
				// The caller as handlers see it: the attribute's name, and the Authentication a test can make too.
				"dev.connect.autoconfigure.caller.ConnectCaller",
				"dev.connect.autoconfigure.caller.ConnectCallerAuthentication",
				"dev.connect.autoconfigure.caller.ConnectCallerAutoConfiguration",
				"dev.connect.autoconfigure.caller.ConnectCallerSecurityAutoConfiguration",
				"dev.connect.autoconfigure.caller.ConnectCallerServletAutoConfiguration",
				"dev.connect.autoconfigure.caller.ConnectCallerProperties",
				"dev.connect.autoconfigure.client.ConnectClientAutoConfiguration",
				"dev.connect.autoconfigure.client.ConnectClientProperties",
				// What an application declares or builds on: its own load-balancer configuration, named upstreams.
				"dev.connect.autoconfigure.client.ConnectLoadBalancerConfiguration",
				"dev.connect.autoconfigure.client.ConnectUpstreams",
				"dev.connect.autoconfigure.registration.ConnectRegistrationAutoConfiguration",
				"dev.connect.autoconfigure.registration.ConnectRegistrationProperties",
				"dev.connect.autoconfigure.registration.ConnectService",
				"dev.connect.autoconfigure.endpoint.ConnectEndpointAutoConfiguration",
				"dev.connect.autoconfigure.endpoint.ConnectEndpoint",
				"dev.connect.autoconfigure.health.ConnectHealthAutoConfiguration",
				"dev.connect.autoconfigure.metrics.ConnectMetricsAutoConfiguration"));
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
