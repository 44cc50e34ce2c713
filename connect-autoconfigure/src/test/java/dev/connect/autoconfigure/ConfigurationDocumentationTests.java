package dev.connect.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code connect.*} property the configuration processor finds is documented in docs/configuration.md.
 */
class ConfigurationDocumentationTests {

	@Test
	void everyConnectPropertyIsDocumented() throws Exception {
		JsonNode metadata = JsonMapper.builder()
			.build()
			.readTree(Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json")));
		List<String> properties = new ArrayList<>();
		metadata.get("properties").forEach((property) -> {
			String name = property.get("name").asString();
			if (name.startsWith("connect.")) {
				properties.add(name);
			}
		});
		String documentation = Files.readString(Path.of("../docs/configuration.md"));
		assertThat(properties).hasSizeGreaterThanOrEqualTo(16)
			.allSatisfy((name) -> assertThat(documentation).as(name).contains("`" + name + "`"));
	}

}
