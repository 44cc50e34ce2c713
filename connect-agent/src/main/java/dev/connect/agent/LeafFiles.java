package dev.connect.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.connect.api.CaRoot;
import dev.connect.api.CaRoots;
import dev.connect.api.LeafCert;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.pki.Pem;
import dev.connect.pki.PeerRole;
import dev.connect.pki.SvidValidator;

/**
 * The files of {@code leaf SERVICE -out DIR}: {@code SERVICE.pem} (the leaf and the intermediates it presents),
 * {@code SERVICE-key.pem} (its key, readable by the owner only where the file system has POSIX permissions) and
 * {@code ca.pem} (every root the agent trusts). The agent's answer is checked before anything is written: the leaf
 * is the service's, its key belongs to it, and it chains to the roots. Writing is all or nothing: the three files
 * go to temporary files next to their targets, and only when all three are on disk are they renamed into place.
 */
final class LeafFiles {

	static final String CA_FILE = "ca.pem";

	/** Names that are one plain file name on every platform, and never {@code .} or {@code ..}. */
	private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

	private final String service;

	private final LeafCert leaf;

	private final String caPem;

	private final SpiffeId id;

	private final int roots;

	private LeafFiles(String service, LeafCert leaf, String caPem, SpiffeId id, int roots) {
		this.service = service;
		this.leaf = leaf;
		this.caPem = caPem;
		this.id = id;
		this.roots = roots;
	}

	/**
	 * Refuses a service name that cannot name the files, before the agent is asked for anything.
	 * @param service the service name
	 */
	static void requireFileName(String service) {
		if (!FILE_NAME.matcher(service).matches()) {
			throw new DevAgentMain.UsageException("Service name '" + service + "' cannot name the leaf's files: "
					+ "use letters, digits, '-', '_' and '.', starting with a letter or digit");
		}
	}

	/**
	 * Refuses a directory that cannot be written, before the agent is asked for anything: the nearest existing
	 * one of it and its parents must be a writable directory.
	 * @param directory the directory given with {@code -out}
	 */
	static void requireWritable(Path directory) {
		Path existing = directory.toAbsolutePath();
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		if (existing != null && !Files.isDirectory(existing)) {
			throw unwritable(directory, "'" + existing + "' is not a directory");
		}
		if (existing != null && !Files.isWritable(existing)) {
			throw unwritable(directory, "'" + existing + "' is not writable");
		}
	}

	/**
	 * Checks the agent's answer for a service.
	 * @param service the service asked for
	 * @param leaf the agent's leaf for it
	 * @param roots the agent's roots
	 * @param clock the clock that decides validity
	 * @return the files to write
	 */
	static LeafFiles verified(String service, LeafCert leaf, CaRoots roots, Clock clock) {
		try {
			List<X509Certificate> trusted = new ArrayList<>();
			StringBuilder caPem = new StringBuilder();
			for (CaRoot root : roots.roots()) {
				trusted.addAll(Pem.parseCertificates(root.rootCert()));
				caPem.append(root.rootCert().endsWith("\n") ? root.rootCert() : root.rootCert() + "\n");
			}
			List<X509Certificate> chain = Pem.parseCertificates(leaf.certPem());
			SpiffeId id = SvidValidator.of(trusted, clock).validate(chain, PeerRole.CLIENT);
			String named = ServiceIdentity.from(id).service();
			if (!named.equals(service)) {
				throw new IllegalArgumentException("it is for service '" + named + "' (" + id + ")");
			}
			byte[] keyOfLeaf = chain.get(0).getPublicKey().getEncoded();
			if (!Arrays.equals(keyOfLeaf, Pem.parseKeyPair(leaf.privateKeyPem()).getPublic().getEncoded())) {
				throw new IllegalArgumentException("its private key belongs to another certificate");
			}
			return new LeafFiles(service, leaf, caPem.toString(), id, roots.roots().size());
		}
		catch (CertificateException | IllegalArgumentException ex) {
			throw new DevAgentMain.UsageException("Refused the agent's leaf for '" + service + "': "
					+ AgentCli.reasonOf(ex) + "; nothing was written");
		}
	}

	/**
	 * Writes the three files, replacing earlier ones, and creates the directory if needed.
	 * @param directory the directory
	 * @return what was written
	 */
	Written write(Path directory) {
		boolean created = !Files.exists(directory);
		boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
		Written written = new Written(this.id, this.leaf.serialNumber(), this.leaf.validBefore(), this.roots,
				directory.resolve(this.service + ".pem"),
				directory.resolve(this.service + "-key.pem"), directory.resolve(CA_FILE), posix);
		List<Path> staged = new ArrayList<>();
		try {
			Files.createDirectories(directory);
			stage(written.certificate(), this.leaf.certPem(), false, staged);
			stage(written.key(), this.leaf.privateKeyPem(), posix, staged);
			stage(written.ca(), this.caPem, false, staged);
			// Renames within one directory do not fail once the files are on disk, short of the disk failing.
			move(staged.get(0), written.certificate());
			move(staged.get(1), written.key());
			move(staged.get(2), written.ca());
			return written;
		}
		catch (IOException ex) {
			staged.forEach(LeafFiles::deleteQuietly);
			if (created) {
				deleteQuietly(directory);
			}
			throw unwritable(directory, describe(ex));
		}
	}

	/** Writes a temporary file next to the target, listed in {@code staged} before it exists. */
	private static void stage(Path target, String pem, boolean ownerOnly, List<Path> staged) throws IOException {
		Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
		staged.add(temporary);
		Files.deleteIfExists(temporary);
		if (ownerOnly) {
			// Created owner-only before the key is written, so that it is never readable by others, even briefly.
			Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
			Files.writeString(temporary, pem, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
		}
		else {
			Files.writeString(temporary, pem, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE);
		}
	}

	private static void move(Path temporary, Path target) throws IOException {
		try {
			Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// Best effort: the error that made us clean up is the one to report.
		}
	}

	private static String describe(IOException ex) {
		String message = AgentCli.reasonOf(ex);
		return (ex instanceof AccessDeniedException) ? "permission denied on '" + message + "'" : message;
	}

	private static DevAgentMain.UsageException unwritable(Path directory, String reason) {
		return new DevAgentMain.UsageException("Unable to write the leaf files to directory '" + directory + "': "
				+ reason + "; nothing was written");
	}

	/**
	 * The files written for one service.
	 * @param id the leaf's SPIFFE ID
	 * @param serialNumber the leaf's serial as colon-hex
	 * @param validBefore when the leaf expires
	 * @param roots how many roots {@code ca.pem} holds
	 * @param certificate the leaf chain file
	 * @param key the private key file
	 * @param ca the roots file
	 * @param ownerOnly whether the key file was created readable by the owner only
	 */
	record Written(SpiffeId id, String serialNumber, Instant validBefore, int roots, Path certificate, Path key,
			Path ca, boolean ownerOnly) {

		/**
		 * curl cannot check a certificate that names no host, and has no option to skip only the host name check
		 * (-k skips the chain check too): openssl checks the chain, and curl pins the key openssl checked.
		 */
		private static final String INSTRUCTIONS = """
				Wrote the leaf of %1$s (serial %2$s, valid until %3$s):
				  %4$s  certificate chain
				  %5$s  private key, %6$s
				  %7$s  %8$s

				Call a mesh service as '%9$s' (set PORT to its port):

				  openssl s_client -connect 127.0.0.1:$PORT -cert %10$s -key %11$s -CAfile %12$s \
				-verify_return_error </dev/null 2>/dev/null | openssl x509 -pubkey -noout > %13$s \
				&& curl --cert %10$s --key %11$s -k --pinnedpubkey %13$s https://127.0.0.1:$PORT/

				A mesh certificate names a service, not a host, so curl cannot check it against a host name: with
				--cacert alone it fails ("unable to obtain common name from peer certificate"). Instead, openssl checks
				the server's certificate against ca.pem and saves its public key; -k turns off curl's own chain and host
				name checks, and --pinnedpubkey makes curl refuse any key but the one openssl checked. Limits: this
				proves that the server holds a certificate of this mesh, not which service it is, and the pin holds
				until the server's certificate is renewed (run the line again). The key is the service's own: keep it
				private and delete it when done.
				""";

		/**
		 * Returns what was written and how to call a mesh service with it; never the key.
		 */
		String instructions() {
			Path serverKey = this.certificate.resolveSibling("server-pubkey.pem");
			String protection = this.ownerOnly ? "readable by the owner only"
					: "not protected: this file system has no POSIX permissions";
			return INSTRUCTIONS.formatted(this.id, this.serialNumber, this.validBefore, this.certificate, this.key,
					protection, this.ca, this.roots + ((this.roots == 1) ? " CA root" : " CA roots"),
					ServiceIdentity.from(this.id).service(), shell(this.certificate), shell(this.key), shell(this.ca),
					shell(serverKey));
		}

		/** A path as one shell word. */
		private static String shell(Path path) {
			String text = path.toString();
			return SHELL_SAFE.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
		}

	}

}
