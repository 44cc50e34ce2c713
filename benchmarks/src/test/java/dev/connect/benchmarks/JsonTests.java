package dev.connect.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonTests {

	@Test
	void writesNestedObjectsListsAndNumbers() {
		Map<String, Object> object = new LinkedHashMap<>();
		object.put("name", "a \"quoted\" \\ value\n");
		object.put("count", 3);
		object.put("ratio", 0.7712345678);
		object.put("whole", 28243.0);
		object.put("runs", new double[] { 1.5, 2 });
		object.put("list", List.of(true, "x"));
		object.put("empty", Map.of());
		assertThat(Json.write(object)).isEqualTo("""
				{
				  "name": "a \\"quoted\\" \\\\ value\\n",
				  "count": 3,
				  "ratio": 0.771235,
				  "whole": 28243,
				  "runs": [1.5, 2],
				  "list": [
				    true,
				    "x"
				  ],
				  "empty": {}
				}
				""");
	}

	@Test
	void controlCharactersAreEscaped() {
		assertThat(Json.write("\u0001")).isEqualTo("\"\\u0001\"\n");
	}

	@Test
	void numbersWithoutAJsonFormAndUnknownTypesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.write(Double.NaN)).withMessage("JSON has no value for NaN");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.write(new Object()))
			.withMessage("No JSON form for java.lang.Object");
	}

}
