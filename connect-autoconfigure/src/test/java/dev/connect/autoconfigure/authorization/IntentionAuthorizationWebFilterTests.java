package dev.connect.autoconfigure.authorization;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.authz.Decision;
import dev.connect.pki.SvidValidator;
import dev.connect.test.SvidAuthority;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter's check of the caller's leaf validity on every request, which a kept-alive connection needs because
 * the leaf was only checked in the handshake. The same certificate object on every request, as on one connection.
 */
class IntentionAuthorizationWebFilterTests {

	private static final String TRUST_DOMAIN = "11111111-2222-3333-4444-555555555555.consul";

	private final Instant notAfter = Instant.parse("2031-02-03T05:00:00Z");

	private final SvidAuthority authority = SvidAuthority.builder().trustDomain(TRUST_DOMAIN).build();

	private final X509Certificate leaf = this.authority.leaf("web")
		.validity(this.notAfter.minus(Duration.ofHours(72)), this.notAfter)
		.build()
		.certificate();

	private Instant now = this.notAfter.minus(Duration.ofHours(1));

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return IntentionAuthorizationWebFilterTests.this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	};

	private final AtomicInteger authorized = new AtomicInteger();

	private SvidValidator trust = SvidValidator.of(List.of(this.authority.root().certificate()), this.clock);

	private final IntentionAuthorizationWebFilter filter = new IntentionAuthorizationWebFilter((caller) -> {
		this.authorized.incrementAndGet();
		return Mono.just(new Decision(true, "test", false));
	}, new RecentDenials(Clock.systemUTC()), () -> 8443, () -> this.trust, new DenialLog("counting", this.clock),
			this.clock);

	private final AtomicInteger handled = new AtomicInteger();

	private final WebFilterChain chain = (exchange) -> {
		this.handled.incrementAndGet();
		return Mono.empty();
	};

	@Test
	void aCallerIsServedUntilTheLastMillisecondOfItsLeaf() {
		assertThat(call().getResponse().getStatusCode()).isNull();
		this.now = this.notAfter;
		assertThat(call().getResponse().getStatusCode()).isNull();
		assertThat(this.handled).hasValue(2);
	}

	@Test
	void aCallerWhoseLeafExpiredSinceTheHandshakeIsRefusedAndItsConnectionClosed() {
		assertThat(call().getResponse().getStatusCode()).isNull();
		this.now = this.notAfter.plusMillis(1);
		MockServerWebExchange refused = call();
		assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(refused.getResponse().getHeaders().getFirst(HttpHeaders.CONNECTION)).isEqualTo("close");
		assertThat(refused.getResponse().getBodyAsString().block()).contains("The caller's certificate has expired.");
		assertThat(this.handled).as("the handler ran only before the expiry").hasValue(1);
		assertThat(this.authorized).as("no authorization asked for an expired caller").hasValue(1);
	}

	@Test
	void aCallerWhoseRootWasRemovedSinceTheHandshakeIsRefusedAndItsConnectionClosed() {
		assertThat(call().getResponse().getStatusCode()).isNull();
		SvidAuthority next = SvidAuthority.builder().trustDomain(TRUST_DOMAIN).build();
		this.trust = SvidValidator.of(List.of(next.root().certificate()), this.clock);
		MockServerWebExchange refused = call();
		assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(refused.getResponse().getHeaders().getFirst(HttpHeaders.CONNECTION)).isEqualTo("close");
		assertThat(refused.getResponse().getBodyAsString().block())
			.contains("The caller's certificate is no longer trusted by this mesh.");
		assertThat(this.handled).as("the handler ran only while the root was trusted").hasValue(1);
		assertThat(this.authorized).as("no authorization asked for an untrusted caller").hasValue(1);
	}

	@Test
	void aCallerWhoseRootIsStillTrustedAfterARootChangeIsServed() {
		assertThat(call().getResponse().getStatusCode()).isNull();
		SvidAuthority next = SvidAuthority.builder().trustDomain(TRUST_DOMAIN).build();
		this.trust = SvidValidator.of(List.of(next.root().certificate(), this.authority.root().certificate()),
				this.clock);
		assertThat(call().getResponse().getStatusCode()).isNull();
		assertThat(this.handled).hasValue(2);
	}

	@Test
	void withoutCurrentRootsNoRequestIsServed() {
		this.trust = null;
		assertThat(call().getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(this.handled).hasValue(0);
	}

	private MockServerWebExchange call() {
		SslInfo ssl = new SslInfo() {

			@Override
			public String getSessionId() {
				return "00";
			}

			@Override
			public X509Certificate[] getPeerCertificates() {
				return new X509Certificate[] { IntentionAuthorizationWebFilterTests.this.leaf };
			}

		};
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("https://127.0.0.1:8443/count").sslInfo(ssl));
		this.filter.filter(exchange, this.chain).block(Duration.ofSeconds(5));
		return exchange;
	}

}
