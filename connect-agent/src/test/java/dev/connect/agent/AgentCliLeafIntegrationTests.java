package dev.connect.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.Pem;
import dev.connect.pki.PeerRole;
import dev.connect.pki.SvidValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code leaf SERVICE -out DIR} through the CLI's entry point against a real dev agent: what it writes and prints.
 */
class AgentCliLeafIntegrationTests {

	@TempDir
	Path temp;

	private DevAgent agent;

	private Map<String, String> env;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void startAgent() {
		this.agent = DevAgent.start(DevAgentSettings.defaults().withHttpPort(0).withAclManagementToken("secret"));
		this.env = Map.of("CONSUL_HTTP_ADDR", this.agent.httpAddress(), "CONSUL_HTTP_TOKEN", "secret");
	}

	@AfterEach
	void stopAgent() {
		this.agent.close();
	}

	@Test
	void leafWritesTheServiceLeafWhichChainsToTheRootsInCaPem() throws Exception {
		Path dir = this.temp.resolve("web");
		assertThat(run("leaf", "web", "-out", dir.toString())).isZero();
		assertThat(this.err.toString(StandardCharsets.UTF_8)).isEmpty();
		assertThat(fileNames(dir)).containsExactlyInAnyOrder("web.pem", "web-key.pem", "ca.pem");
		List<X509Certificate> chain = Pem.parseCertificates(Files.readString(dir.resolve("web.pem")));
		List<X509Certificate> roots = Pem.parseCertificates(Files.readString(dir.resolve("ca.pem")));
		SpiffeId id = SvidValidator.of(roots, Clock.systemUTC()).validate(chain, PeerRole.CLIENT);
		assertThat(ServiceIdentity.from(id)).isEqualTo(ServiceIdentity.of(this.agent.trustDomain(), "dc1", "web"));
		KeyPair key = Pem.parseKeyPair(Files.readString(dir.resolve("web-key.pem")));
		assertThat(key.getPublic().getEncoded()).isEqualTo(chain.get(0).getPublicKey().getEncoded());
		assertThat(out()).startsWith("Wrote the leaf of " + id + " (serial ")
			.contains("  " + dir.resolve("web-key.pem") + "  private key")
			.contains("  " + dir.resolve("ca.pem") + "  1 CA root\n");
	}

	@Test
	void leafPrintsTheOpensslAndCurlLineForTheWrittenFilesAndNeverTheKey() throws IOException {
		Path dir = this.temp.resolve("web");
		assertThat(run("leaf", "web", "-out", dir.toString())).isZero();
		String files = "-cert " + dir.resolve("web.pem") + " -key " + dir.resolve("web-key.pem");
		assertThat(out()).contains("\n  openssl s_client -connect 127.0.0.1:$PORT " + files + " -CAfile "
				+ dir.resolve("ca.pem") + " -verify_return_error </dev/null 2>/dev/null | openssl x509 -pubkey -noout > "
				+ dir.resolve("server-pubkey.pem") + " && curl --cert " + dir.resolve("web.pem") + " --key "
				+ dir.resolve("web-key.pem") + " -k --pinnedpubkey " + dir.resolve("server-pubkey.pem")
				+ " https://127.0.0.1:$PORT/\n");
		String keyPem = Files.readString(dir.resolve("web-key.pem"));
		String keyBody = keyPem.lines().filter((line) -> !line.startsWith("-----")).findFirst().orElseThrow();
		assertThat(out()).doesNotContain("PRIVATE KEY").doesNotContain(keyBody);
	}

	@Test
	void keyFileIsReadableByTheOwnerOnly() throws IOException {
		Path dir = this.temp.resolve("web");
		assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
		assertThat(run("leaf", "web", "-out", dir.toString())).isZero();
		assertThat(Files.getPosixFilePermissions(dir.resolve("web-key.pem")))
			.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
		assertThat(out()).contains("web-key.pem  private key, readable by the owner only\n");
	}

	@Test
	void whenTheCaWasRotatedThenCaPemHoldsEveryTrustedRootAndTheLeafChainsToIt() throws Exception {
		assertThat(run("ca", "rotate")).isZero();
		Path dir = this.temp.resolve("web");
		assertThat(run("leaf", "web", "-out", dir.toString())).isZero();
		List<X509Certificate> roots = Pem.parseCertificates(Files.readString(dir.resolve("ca.pem")));
		assertThat(roots).hasSize(2);
		List<X509Certificate> chain = Pem.parseCertificates(Files.readString(dir.resolve("web.pem")));
		assertThat(SvidValidator.of(roots, Clock.systemUTC()).validate(chain, PeerRole.CLIENT).toString())
			.endsWith("/svc/web");
		assertThat(out()).contains("  2 CA roots\n");
	}

	@Test
	void runningAgainReplacesTheFilesAndLeavesNoTemporaryFiles() throws IOException {
		Path dir = this.temp.resolve("web");
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("web.pem"), "stale");
		Files.writeString(dir.resolve("ca.pem"), "stale");
		assertThat(run("leaf", "web", "-out", dir.toString())).isZero();
		assertThat(run("leaf", "web", "-out", dir.toString())).isZero();
		assertThat(fileNames(dir)).containsExactlyInAnyOrder("web.pem", "web-key.pem", "ca.pem");
		assertThat(Files.readString(dir.resolve("web.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(Files.readString(dir.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
	}

	private int run(String... args) {
		this.out.reset();
		this.err.reset();
		return DevAgentMain.run(args, this.env, new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	static Set<String> fileNames(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map((file) -> file.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
		}
	}

}
