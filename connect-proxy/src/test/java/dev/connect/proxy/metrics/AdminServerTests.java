package dev.connect.proxy.metrics;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AdminServerTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "127.0.0.1|" + AdminServer.MALFORMED, "127.0.0.1:65536|" + AdminServer.MALFORMED,
			"127.0.0.1:port|" + AdminServer.MALFORMED, "10.1.2.3:19000|" + AdminServer.NOT_LOOPBACK,
			"0.0.0.0:19000|" + AdminServer.NOT_LOOPBACK })
	void anAddressThatIsMalformedOrNotLoopbackIsRefusedNamingIt(String address, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> AdminServer.parse(address))
			.withMessage(String.format(message, address));
	}

	@Test
	void loopbackAddressesAreAccepted() {
		assertThat(AdminServer.parse("127.0.0.1:19000")).isEqualTo(new InetSocketAddress("127.0.0.1", 19000));
		assertThat(AdminServer.parse("[::1]:0").getAddress().isLoopbackAddress()).isTrue();
		assertThat(AdminServer.parse(":19000").getAddress().isLoopbackAddress()).isTrue();
	}

}
