package dev.connect.authz.l7;

import dev.connect.authz.l7.RequestNormalization.EscapedSlashes;
import dev.connect.authz.l7.RequestNormalization.UnderscoreHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalPathTests {

	private static final RequestNormalization MERGING = new RequestNormalization(false, true, EscapedSlashes.DEFAULT,
			UnderscoreHeaders.ALLOW);

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/count              | /count
			/                   | /
			/count/             | /count/
			/%61dmin            | /admin
			/%41DMIN            | /ADMIN
			/a%2db%5fc%7e%2e    | /a-b_c~.
			/caf%c3%a9          | /caf%C3%A9
			/a%20b              | /a%20b
			/100%25             | /100%25
			/a:b@c!$&'()*+,=    | /a:b@c!$&'()*+,=
			""")
	void whenPathIsUnambiguousThenUnreservedEscapesAreDecodedAndOthersKeptInUpperCase(String raw, String expected) {
		assertThat(CanonicalPath.of(raw, RequestNormalization.DEFAULT)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/admin%2Fx          | the path has an encoded slash
			/admin%2fx          | the path has an encoded slash
			/count%2F..%2Fadmin | the path has an encoded slash
			/admin\\x           | the path has a backslash
			/admin%5Cx          | the path has a backslash
			/admin%5cx          | the path has a backslash
			/admin;jsessionid=1 | the path has a path parameter (';')
			/adm;x=1/in         | the path has a path parameter (';')
			/admin%zz           | the path has an invalid percent-encoding
			/admin%4            | the path has an invalid percent-encoding
			/admin%             | the path has an invalid percent-encoding
			/admin%00           | the path has an invalid percent-encoding
			/admin%0a           | the path has an invalid percent-encoding
			/count/../admin     | the path has a '.' or '..' segment
			/count/%2e%2e/admin | the path has a '.' or '..' segment
			/count/%2E./admin   | the path has a '.' or '..' segment
			/./admin            | the path has a '.' or '..' segment
			/admin/.            | the path has a '.' or '..' segment
			/admin/..           | the path has a '.' or '..' segment
			//admin             | the path has an empty segment ('//')
			/count//admin       | the path has an empty segment ('//')
			admin               | the path does not start with '/'
			*                   | the path does not start with '/'
			/adm in             | the path has a character outside visible ASCII
			/admín              | the path has a character outside visible ASCII
			""")
	void whenPathCouldBeRoutedOtherwiseThenItIsRefused(String raw, String reason) {
		assertThatThrownBy(() -> CanonicalPath.of(raw, RequestNormalization.DEFAULT))
			.isInstanceOf(AmbiguousRequestException.class)
			.hasMessage(reason);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			//admin        | /admin
			/count//admin  | /count/admin
			/a///b//       | /a/b/
			""")
	void whenMergeSlashesIsSetThenEmptySegmentsAreMerged(String raw, String expected) {
		assertThat(CanonicalPath.of(raw, MERGING)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			KEEP_UNCHANGED       | /a%2Fb
			UNESCAPE_AND_FORWARD | /a/b
			""")
	void whenEscapedSlashesAreConfiguredThenTheyAreKeptOrUnescaped(EscapedSlashes action, String expected) {
		var normalization = new RequestNormalization(false, false, action, UnderscoreHeaders.ALLOW);
		assertThat(CanonicalPath.of("/a%2fb", normalization)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "REJECT_REQUEST", "UNESCAPE_AND_REDIRECT" })
	void whenEscapedSlashesAreRejectedOrRedirectedThenTheyAreRefused(EscapedSlashes action) {
		var normalization = new RequestNormalization(false, false, action, UnderscoreHeaders.ALLOW);
		assertThatThrownBy(() -> CanonicalPath.of("/a%2Fb", normalization)).hasMessage(CanonicalPath.ESCAPED_SLASH);
	}

	@Test
	void whenNormalizationIsDisabledThenUnreservedEscapesStayEncodedAndAmbiguityIsStillRefused() {
		var normalization = new RequestNormalization(true, false, EscapedSlashes.DEFAULT, UnderscoreHeaders.ALLOW);
		assertThat(CanonicalPath.of("/%61dmin", normalization)).isEqualTo("/%61dmin");
		assertThatThrownBy(() -> CanonicalPath.of("/a/../b", normalization)).hasMessage(CanonicalPath.DOT_SEGMENT);
		assertThatThrownBy(() -> CanonicalPath.of("/a%5Cb", normalization)).hasMessage(CanonicalPath.BACKSLASH);
	}

}
