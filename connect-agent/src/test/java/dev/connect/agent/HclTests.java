package dev.connect.agent;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HclTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void aServiceIntentionsEntryDecodesAsItsJson() {
		Map<String, Object> entry = Hcl.parse("""
				# the API's callers
				Kind = "service-intentions"
				Name = "api" // the destination
				Meta = { owner = "team-a", "tier" = "1" }
				Sources {
				  Name   = "web"
				  Action = "allow"
				}
				Sources {
				  Name = "admin"
				  Permissions {
				    Action = "allow"
				    HTTP {
				      PathPrefix = "/admin"
				      Methods    = ["GET", "POST",]
				    }
				  }
				  /* a second
				     permission */
				  Permissions {
				    Action = "deny"
				    HTTP { PathExact = "/admin/keys" }
				  }
				}
				""");
		assertThat(JSON.writeValueAsString(entry)).isEqualTo("""
				{"Kind":"service-intentions","Name":"api","Meta":{"owner":"team-a","tier":"1"},\
				"Sources":[{"Name":"web","Action":"allow"},{"Name":"admin","Permissions":[{"Action":"allow",\
				"HTTP":{"PathPrefix":"/admin","Methods":["GET","POST"]}},{"Action":"deny",\
				"HTTP":{"PathExact":"/admin/keys"}}]}]}""");
	}

	@Test
	void aServiceDefinitionWithNumbersBooleansEscapesAndAHeredocDecodes() {
		Map<String, Object> definition = Hcl.parse("""
				service {
				  name = "web"
				  port = 8080
				  enable_tag_override = true
				  weights = { passing = 3, warning = 1 }
				  tags = ["v1", "say \\"hi\\""]
				  check {
				    id = "web-ttl"
				    ttl = "10m"
				    notes = <<EOF
				first line
				second line
				EOF
				  }
				}
				""");
		assertThat(JSON.writeValueAsString(definition)).isEqualTo("""
				{"service":{"name":"web","port":8080,"enable_tag_override":true,"weights":{"passing":3,"warning":1},\
				"tags":["v1","say \\"hi\\""],"check":{"id":"web-ttl","ttl":"10m",\
				"notes":"first line\\nsecond line\\n"}}}""");
	}

	@ParameterizedTest(name = "{1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', value = {
			"Kind \"mesh\" | At 1:6: expected '=' or '{' after \"Kind\"",
			"Kind = mesh | At 1:12: unknown value 'mesh': strings need double quotes",
			"Kind = \"mesh | At 1:8: unterminated string",
			"Name = \"a\"\\nSources { Name = \"b\" | At 2:21: expected '}'",
			"Tags = [\"a\" | At 1:12: expected ']' to end a list",
			"Port = 8.0.1 | At 1:8: invalid number '8.0.1'",
			"Notes = <<EOF\\nno end | At 1:9: heredoc not terminated by a line 'EOF'",
			"/* open | At 1:1: unterminated comment" })
	void whenTheTextIsNotHclThenTheErrorNamesLineAndColumn(String text, String message) {
		assertThatThrownBy(() -> Hcl.parse(text.replace("\\n", "\n"))).isInstanceOf(IllegalArgumentException.class)
			.hasMessage(message);
	}

}
