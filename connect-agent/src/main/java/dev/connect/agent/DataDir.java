package dev.connect.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.connect.agent.ca.CaSnapshot;
import dev.connect.agent.catalog.ExternalRegistration;
import dev.connect.agent.config.ConfigEntry;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.connect.api.CheckDefinition;
import dev.connect.api.Intention;
import dev.connect.api.ServiceRegistration;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's data directory: the CA (keys included, readable by the owner only), config entries (intentions among
 * them), registered services, checks added to them and maintenance mode, nodes registered through the catalog API and the last index, one JSON file each ({@value #INTENTIONS}, the intentions of agents
 * before config entries, is read once, migrated and removed). Every write goes to a temporary file that is forced to disk and then
 * renamed over the old one, and the directory is forced after the rename where the platform can, so a crash leaves
 * the old or the new file, never half of one. A file that cannot be read stops start-up with a message naming it:
 * the agent never replaces a data directory it cannot read with a new CA.
 */
final class DataDir {

	static final String CA = "ca.json";

	static final String INTENTIONS = "intentions.json";

	static final String SERVICES = "services.json";

	static final String CONFIG = "config.json";

	static final String AGENT = "agent.json";

	static final String NODES = "nodes.json";

	static final String CHECKS = "checks.json";

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		// The wire records leave out false and zero (Consul's omitempty), so the files do too: read a missing
		// number or bool back as its zero value, as the HTTP API reads a request body.
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private final Path directory;

	/** What each file last held: a write of the same bytes (a TTL update, say) is skipped, not forced to disk. */
	private final Map<String, byte[]> written = new java.util.HashMap<>();

	DataDir(Path directory) {
		this.directory = directory;
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Reads what the directory holds, creating it when missing.
	 * @throws DataDirException when a file exists but cannot be read
	 */
	Contents load() {
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new DataDirException("Unable to create data dir '" + this.directory + "': " + reasonOf(ex), ex);
		}
		AgentState agent = read(AGENT, new TypeReference<AgentState>() {
		});
		CaSnapshot ca = read(CA, new TypeReference<CaSnapshot>() {
		});
		List<Intention> intentions = read(INTENTIONS, new TypeReference<List<Intention>>() {
		});
		List<ServiceRegistration> services = read(SERVICES, new TypeReference<List<ServiceRegistration>>() {
		});
		List<Map<String, Object>> config = read(CONFIG, new TypeReference<List<Map<String, Object>>>() {
		});
		List<ExternalRegistration> nodes = read(NODES, new TypeReference<List<ExternalRegistration>>() {
		});
		LocalChecks checks = read(CHECKS, new TypeReference<LocalChecks>() {
		});
		return new Contents(agent, ca, (intentions != null) ? intentions : List.of(),
				(services != null) ? services : List.of(), (config != null) ? config : List.of(),
				(nodes != null) ? nodes : List.of(), (checks != null) ? checks : LocalChecks.NONE);
	}

	void saveCa(CaSnapshot snapshot) {
		write(CA, snapshot, true);
	}

	/** Removes the intentions file of the format before config entries, once they are in {@link #CONFIG}. */
	void deleteLegacyIntentions() {
		try {
			if (Files.deleteIfExists(this.directory.resolve(INTENTIONS))) {
				syncDirectory();
			}
		}
		catch (IOException ex) {
			throw new DataDirException("Unable to delete '" + this.directory.resolve(INTENTIONS) + "': " + reasonOf(ex),
					ex);
		}
	}

	void saveConfig(List<ConfigEntry> entries) {
		write(CONFIG, entries.stream().map(ConfigEntry::toJson).toList(), false);
	}

	void saveServices(Map<String, ServiceRegistration> registrations) {
		// Sorted by instance ID, so that the same state always makes the same file.
		write(SERVICES, registrations.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.map(Map.Entry::getValue)
			.toList(), false);
	}

	/** The nodes registered through the catalog API, as registrations that make them again. */
	void saveNodes(List<ExternalRegistration> nodes) {
		write(NODES, nodes, false);
	}

	/** Checks added through the agent API and maintenance mode, which Consul keeps across restarts too. */
	void saveChecks(LocalChecks checks) {
		write(CHECKS, checks, false);
	}

	void saveAgent(AgentState state) {
		write(AGENT, state, false);
	}

	private <T> @Nullable T read(String name, TypeReference<T> type) {
		Path file = this.directory.resolve(name);
		try {
			return JSON.readValue(Files.readAllBytes(file), type);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException | JacksonException ex) {
			throw unreadable(file, ex);
		}
	}

	DataDirException unreadable(Path file, Exception cause) {
		return new DataDirException("Unable to start from data dir '" + this.directory + "': '" + file.getFileName()
				+ "' cannot be read (" + reasonOf(cause) + "). The agent does not replace state it cannot read: move "
				+ "the directory aside to start with a new CA, or restore the file.", cause);
	}

	/** An exception without a message is named by its class, so that a message never reads {@code null}. */
	private static String reasonOf(Exception ex) {
		String message = ex.getMessage();
		return (message != null) ? message : ex.getClass().getName();
	}

	private synchronized void write(String name, Object value, boolean ownerOnly) {
		Path target = this.directory.resolve(name);
		Path temporary = this.directory.resolve(name + ".tmp");
		try {
			byte[] bytes = JSON.writeValueAsBytes(value);
			if (java.util.Arrays.equals(this.written.get(name), bytes)) {
				return;
			}
			Files.deleteIfExists(temporary);
			if (ownerOnly && this.directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
				Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				channel.write(java.nio.ByteBuffer.wrap(bytes));
				channel.force(true);
			}
			try {
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
			}
			syncDirectory();
			this.written.put(name, bytes);
		}
		catch (IOException ex) {
			throw new DataDirException("Unable to write '" + target + "': " + reasonOf(ex), ex);
		}
	}

	/**
	 * Forces the directory entry of a rename to disk: until then a crash can bring back the old file, or none.
	 */
	private void syncDirectory() {
		FileChannel channel;
		try {
			channel = FileChannel.open(this.directory, StandardOpenOption.READ);
		}
		catch (IOException ex) {
			// Windows cannot open a directory as a channel; there the rename is as durable as the platform makes it.
			return;
		}
		try (channel) {
			channel.force(true);
		}
		catch (IOException ex) {
			// Some platforms and file systems refuse to force a directory (EINVAL, EBADF): nothing more can be done
			// there, and the file itself is already on disk.
		}
	}

	/**
	 * The agent's own state.
	 * @param nodeId the node ID, kept across restarts
	 * @param lastIndex the last modify index handed out, so that indexes never go backwards
	 */
	record AgentState(UUID nodeId, long lastIndex) {
	}

	record Contents(@Nullable AgentState agent, @Nullable CaSnapshot ca, List<Intention> intentions,
			List<ServiceRegistration> services, List<Map<String, Object>> config, List<ExternalRegistration> nodes,
			LocalChecks checks) {

		static final Contents EMPTY = new Contents(null, null, List.of(), List.of(), List.of(), List.of(),
				LocalChecks.NONE);
	}

	/**
	 * The checks added through {@code /v1/agent/check/register}, and the instances in maintenance mode with their
	 * reasons.
	 * @param checks the check definitions, as registered
	 * @param maintenance the reasons by instance ID
	 */
	record LocalChecks(@JsonProperty("Checks") List<CheckDefinition> checks,
			@JsonProperty("Maintenance") Map<String, String> maintenance) {

		static final LocalChecks NONE = new LocalChecks(List.of(), Map.of());

	}

	/** The data directory cannot be used; the message says which file and what to do. */
	static final class DataDirException extends IllegalStateException {

		DataDirException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
