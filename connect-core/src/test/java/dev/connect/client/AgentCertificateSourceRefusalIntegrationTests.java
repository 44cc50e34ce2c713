package dev.connect.client;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.connect.pki.Pem;
import dev.connect.pki.TestPki;
import dev.connect.tls.CertificateSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The certificate source refuses roots that are not CA certificates, as a whole answer, and a refused answer never
 * becomes the latest one seen: a misbehaving agent scripted answer by answer, with real certificates.
 */
class AgentCertificateSourceRefusalIntegrationTests {

	private static final String TD = "11111111-2222-3333-4444-555555555555.consul";

	private static final String ROOTS = "/v1/agent/connect/ca/roots";

	private static final String LEAF = "/v1/agent/connect/ca/leaf/counting";

	private static final Instant NOW = Instant.now();

	private final TestPki.Issued root = TestPki.root(TD, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));

	private final TestPki.Issued leaf = TestPki.leaf("spiffe://" + TD + "/ns/default/dc/dc1/svc/counting")
		.validity(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(20)))
		.signedBy(this.root);

	private final CannedAgent agent = new CannedAgent();

	private AgentCertificateSource source;

	@AfterEach
	void stop() {
		if (this.source != null) {
			this.source.dispose();
		}
		this.agent.close();
	}

	@Test
	void whenARootInTheAnswerIsNotACaThenTheWholeAnswerIsRefusedAndThePreviousRootsStay() throws Exception {
		this.agent.answer(ROOTS, 5, roots(this.root.certificate())).answer(LEAF, 3, leaf());
		CertificateSnapshot first = start();
		X509Certificate notACa = TestPki.leaf("spiffe://" + TD + "/ns/default/dc/dc1/svc/admin")
			.validity(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(20)))
			.signedBy(this.root)
			.certificate();
		this.agent.answer(ROOTS, 9, roots(this.root.certificate(), notACa));
		awaitTrue(() -> this.source.lastProblem() != null);
		assertThat(this.source.lastProblem()).startsWith("Refused the agent's CA roots at index 9: ")
			.contains("is not a CA (basicConstraints cA=true is required of a trust anchor)");
		assertThat(this.source.current()).isSameAs(first);
		assertThat(first.roots()).containsExactly(this.root.certificate());
	}

	@Test
	void whenARootHasExpiredThenTheWholeAnswerIsRefused() throws Exception {
		TestPki.Issued expired = TestPki.root(TD, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(1)));
		this.agent.answer(ROOTS, 5, roots(this.root.certificate())).answer(LEAF, 3, leaf());
		CertificateSnapshot first = start();
		this.agent.answer(ROOTS, 6, roots(this.root.certificate(), expired.certificate()));
		awaitTrue(() -> this.source.lastProblem() != null);
		assertThat(this.source.lastProblem()).startsWith("Refused the agent's CA roots at index 6: Certificate ")
			.contains(" expired at ");
		assertThat(this.source.current()).isSameAs(first);
	}

	@Test
	void whenAnAnswerIsRefusedThenAValidAnswerAtTheSameIndexIsStillTaken() throws Exception {
		TestPki.Issued other = TestPki.root(TD, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
		X509Certificate notACa = TestPki.leaf("spiffe://" + TD + "/ns/default/dc/dc1/svc/admin")
			.validity(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(20)))
			.signedBy(other)
			.certificate();
		this.agent.answer(ROOTS, 7, "{\"ActiveRootID\":\"r\",\"TrustDomain\":\"" + TD + "\",\"Roots\":\"all\"}",
				roots(notACa), roots(this.root.certificate()))
			.answer(LEAF, 3, leaf());
		CertificateSnapshot snapshot = start();
		assertThat(snapshot.roots()).containsExactly(this.root.certificate());
	}

	private CertificateSnapshot start() {
		this.source = AgentCertificateSource.start(this.agent.client(), "counting", Clock.systemUTC());
		return this.source.ready(Duration.ofSeconds(20)).block(Duration.ofSeconds(25));
	}

	private static String roots(X509Certificate... certificates) {
		StringBuilder json = new StringBuilder("{\"ActiveRootID\":\"r0\",\"TrustDomain\":\"" + TD + "\",\"Roots\":[");
		for (int i = 0; i < certificates.length; i++) {
			json.append((i > 0) ? "," : "")
				.append("{\"ID\":\"r").append(i).append("\",\"RootCert\":").append(quote(Pem.encode(certificates[i])))
				.append(",\"Active\":").append(i == 0).append('}');
		}
		return json.append("]}").toString();
	}

	private String leaf() {
		return "{\"SerialNumber\":\"" + this.leaf.certificate().getSerialNumber().toString(16) + "\",\"CertPEM\":"
				+ quote(Pem.encode(this.leaf.certificate())) + ",\"PrivateKeyPEM\":"
				+ quote(Pem.encodeSec1(this.leaf.keyPair().getPrivate(), this.leaf.keyPair().getPublic()))
				+ ",\"Service\":\"counting\",\"ServiceURI\":\"spiffe://" + TD + "/ns/default/dc/dc1/svc/counting\","
				+ "\"ValidAfter\":\"" + this.leaf.certificate().getNotBefore().toInstant() + "\",\"ValidBefore\":\""
				+ this.leaf.certificate().getNotAfter().toInstant() + "\"}";
	}

	private static String quote(String text) {
		return "\"" + text.replace("\n", "\\n") + "\"";
	}

	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(condition.getAsBoolean()).as("condition met within 20 s").isTrue();
	}

}
