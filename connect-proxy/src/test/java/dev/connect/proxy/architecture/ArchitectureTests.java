package dev.connect.proxy.architecture;

import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.connect.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.connect.proxy");

	@Test
	void proxyDoesNotDependOnSpring() {
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
	void onlyEntryTypesArePublic() {
		ArchitectureRules.onlyListedTypesArePublic(CLASSES,
				Set.of("dev.connect.proxy.ProxyMain", "dev.connect.proxy.ProxyConfig", "dev.connect.proxy.SidecarProxy",
						"dev.connect.proxy.listener.PublicListener", "dev.connect.proxy.listener.PublicListener$Settings",
						"dev.connect.proxy.listener.UpstreamListener", "dev.connect.proxy.metrics.ProxyMetrics",
						"dev.connect.proxy.metrics.ProxyMetrics$Side", "dev.connect.proxy.metrics.ProxyMetrics$Refusal",
						"dev.connect.proxy.metrics.AdminServer",
						"dev.connect.proxy.upstream.UpstreamResolver", "dev.connect.proxy.upstream.UpstreamConfig"));
	}

}
