package dev.connect.agent;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import dev.connect.agent.ca.CaStore;
import dev.connect.agent.ca.CertificateAuthority;
import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.catalog.ExternalRegistration;
import dev.connect.agent.config.ConfigEntryStore;
import dev.connect.agent.catalog.CheckRunner;
import dev.connect.agent.http.AgentHttpServer;
import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.ChangeIndex;
import dev.connect.agent.intentions.IntentionStore;
import dev.connect.agent.leafcert.LeafCertificates;
import dev.connect.api.ServiceRegistration;
import dev.connect.identity.TrustDomain;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/**
 * A running dev agent. Start one with {@link #start(DevAgentSettings)}; {@link #close()} stops it. Starting takes
 * milliseconds (most of it the CA root key), so tests start one per class on port 0.
 */
public final class DevAgent implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(DevAgent.class.getName());

	private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

	/** TTL expiry and critical-service reaping; Consul reaps every 30 s, this agent checks every 250 ms. */
	private static final Duration CATALOG_TICK = Duration.ofMillis(250);

	private final DevAgentSettings settings;

	private final CaStore ca;

	private final DisposableServer server;

	private final Disposable background;

	private final LoopResources loops;

	private DevAgent(DevAgentSettings settings, CaStore ca, DisposableServer server, Disposable background,
			LoopResources loops) {
		this.settings = settings;
		this.ca = ca;
		this.server = server;
		this.background = background;
		this.loops = loops;
	}

	/**
	 * Starts an agent with the system clock and a fresh {@link SecureRandom}.
	 * @param settings the settings
	 * @return the running agent
	 */
	public static DevAgent start(DevAgentSettings settings) {
		return start(settings, Clock.systemUTC(), new SecureRandom());
	}

	/**
	 * The index this run starts above: the stored one, and never below the clock's microseconds since the epoch.
	 * Clients keep the last index they saw in their blocking queries; an agent restarted without its data must not
	 * hand out those numbers again, or a client would wait on an index that now means something else and never see
	 * the new CA. Microseconds stay below 2^53 (what JSON parsers read exactly) until the 23rd century.
	 */
	static long firstIndex(DataDir.Contents stored, Clock clock) {
		long restored = (stored.agent() != null) ? stored.agent().lastIndex() : 0;
		return Math.max(restored, Math.max(0, ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant())));
	}

	/**
	 * Starts an agent.
	 * @param settings the settings
	 * @param clock the clock for certificates and expiry
	 * @param random the source of keys and jitter
	 * @return the running agent
	 */
	public static DevAgent start(DevAgentSettings settings, Clock clock, SecureRandom random) {
		Objects.requireNonNull(settings, "'settings' must not be null");
		DataDir dataDir = (settings.dataDir() != null) ? new DataDir(settings.dataDir()) : null;
		DataDir.Contents stored = (dataDir != null) ? dataDir.load()
				: DataDir.Contents.EMPTY;
		UUID nodeId = (stored.agent() != null) ? stored.agent().nodeId() : UUID.randomUUID();
		ChangeIndex changes = new ChangeIndex(firstIndex(stored, clock));
		CertificateAuthority authority = restoreOrCreateCa(settings, stored, dataDir, clock, random);
		CaStore ca = new CaStore(authority, changes);
		LeafCertificates leaves = new LeafCertificates(ca, changes, clock, random, settings.rootRotationJitter());
		BlockingQuery queries = new BlockingQuery(changes);
		ConfigEntryStore entries = new ConfigEntryStore(changes);
		restoreEntries(stored, entries, dataDir);
		IntentionStore intentions = new IntentionStore(entries, changes, settings.defaultIntentionPolicy(), clock,
				UUID::randomUUID);
		migrateIntentions(stored, intentions, dataDir);
		Catalog catalog = new Catalog(changes, clock,
				new Catalog.NodeInfo(nodeId.toString(), settings.nodeName(), settings.bindAddress(), settings.datacenter()));
		LoopResources loops = LoopResources.create("connect-agent", LoopResources.DEFAULT_IO_WORKER_COUNT, true);
		CheckRunner checks = new CheckRunner(catalog, loops);
		if (dataDir != null) {
			restoreServices(stored.services(), catalog, dataDir);
			restoreChecks(stored.checks(), catalog, dataDir);
			restoreNodes(stored.nodes(), catalog, dataDir);
			persistChanges(dataDir, changes, nodeId, authority, entries, catalog);
		}
		AgentHttpServer api = new AgentHttpServer(ca, leaves, intentions, catalog, entries, changes, queries,
				settings.aclManagementToken());
		DisposableServer server = api.bind(settings.bindAddress(), settings.httpPort(), loops);
		// The CA tick may call a provider outside the agent (Vault, up to its request timeout): not on a parallel
		// worker, and one failed tick must not end the ticks.
		Disposable pruning = Flux.interval(PRUNE_INTERVAL, Schedulers.boundedElastic())
			.onBackpressureDrop()
			.subscribe((tick) -> caTick(ca));
		Disposable catalogTicks = Flux.interval(CATALOG_TICK, Schedulers.parallel())
			.onBackpressureDrop()
			.subscribe((tick) -> catalog.tick());
		return new DevAgent(settings, ca, server,
				Disposables.composite(leaves.start(), pruning, catalogTicks, checks), loops);
	}

	private static void caTick(CaStore ca) {
		try {
			ca.pruneRoots();
		}
		catch (RuntimeException ex) {
			logger.log(System.Logger.Level.WARNING, "CA upkeep failed, will retry on the next tick: {0}", ex.toString());
		}
	}

	private static void restoreServices(List<ServiceRegistration> services, Catalog catalog, DataDir dataDir) {
		for (ServiceRegistration registration : services) {
			try {
				catalog.register(registration, true);
			}
			catch (RuntimeException ex) {
				throw dataDir.unreadable(dataDir.directory().resolve(DataDir.SERVICES), ex);
			}
		}
	}

	private static void restoreChecks(DataDir.LocalChecks checks, Catalog catalog, DataDir dataDir) {
		try {
			checks.checks().forEach(catalog::registerCheck);
			checks.maintenance().forEach((serviceId, reason) -> catalog.maintenance(serviceId, true, reason));
		}
		catch (RuntimeException ex) {
			throw dataDir.unreadable(dataDir.directory().resolve(DataDir.CHECKS), ex);
		}
	}

	private static void restoreNodes(List<ExternalRegistration> nodes, Catalog catalog, DataDir dataDir) {
		for (ExternalRegistration registration : nodes) {
			try {
				catalog.external().register(registration);
			}
			catch (RuntimeException ex) {
				throw dataDir.unreadable(dataDir.directory().resolve(DataDir.NODES), ex);
			}
		}
	}

	/** Intentions of a data directory written before config entries become service-intentions entries. */
	private static void migrateIntentions(DataDir.Contents stored, IntentionStore intentions,
			@Nullable DataDir dataDir) {
		try {
			intentions.migrate(stored.intentions());
		}
		catch (RuntimeException ex) {
			if (dataDir == null) {
				throw ex;
			}
			throw dataDir.unreadable(dataDir.directory().resolve(DataDir.INTENTIONS), ex);
		}
	}

	private static void restoreEntries(DataDir.Contents stored, ConfigEntryStore entries, @Nullable DataDir dataDir) {
		try {
			entries.restore(stored.config());
		}
		catch (RuntimeException ex) {
			if (dataDir == null) {
				throw ex;
			}
			throw dataDir.unreadable(dataDir.directory().resolve(DataDir.CONFIG), ex);
		}
	}

	private static CertificateAuthority restoreOrCreateCa(DevAgentSettings settings, DataDir.Contents stored,
			@Nullable DataDir dataDir, Clock clock, SecureRandom random) {
		// Only a data directory holds a CA to restore.
		if (dataDir != null && stored.ca() != null) {
			try {
				return CertificateAuthority.restore(stored.ca(), settings.datacenter(), clock, random);
			}
			catch (IllegalArgumentException ex) {
				throw dataDir.unreadable(dataDir.directory().resolve(DataDir.CA), ex);
			}
		}
		CertificateAuthority created = CertificateAuthority.create(settings.ca(), settings.datacenter(), clock, random);
		if (dataDir != null) {
			dataDir.saveCa(created.snapshot());
		}
		return created;
	}

	/** Writes each change to the data directory on the writing thread, once the new state is visible. */
	private static void persistChanges(DataDir dataDir, ChangeIndex changes, UUID nodeId,
			CertificateAuthority authority, ConfigEntryStore entries, Catalog catalog) {
		changes.onPublish((topic) -> {
			switch (topic) {
				// A new leaf advances the CA's serial counter, which must survive a restart.
				case CA_ROOTS, CA_CONFIG, LEAF -> dataDir.saveCa(authority.snapshot());
				// Intentions live in service-intentions entries: their writes publish CONFIG too.
				case INTENTIONS -> {
				}
				case CONFIG -> dataDir.saveConfig(entries.all());
				case CATALOG -> saveCatalog(dataDir, catalog);
			}
			dataDir.saveAgent(new DataDir.AgentState(nodeId, changes.last()));
		});
		dataDir.saveAgent(new DataDir.AgentState(nodeId, changes.last()));
		dataDir.saveConfig(entries.all());
		// Only once config.json holds them: a crash before this line leaves the old file, read again next time.
		dataDir.deleteLegacyIntentions();
		saveCatalog(dataDir, catalog);
	}

	private static void saveCatalog(DataDir dataDir, Catalog catalog) {
		dataDir.saveServices(catalog.registrations());
		dataDir.saveChecks(new DataDir.LocalChecks(catalog.addedChecks(), catalog.maintenanceReasons()));
		dataDir.saveNodes(catalog.external().registrations());
	}

	/**
	 * Returns the bound HTTP address.
	 * @return the address
	 */
	public InetSocketAddress address() {
		return (InetSocketAddress) this.server.address();
	}

	/**
	 * Returns the base URL of the HTTP API, for {@code connect.agent.url} or {@code CONSUL_HTTP_ADDR}.
	 * @return for example {@code http://127.0.0.1:8500}
	 */
	public String httpAddress() {
		InetSocketAddress address = address();
		String host = address.getAddress().getHostAddress();
		host = host.contains(":") ? "[" + host + "]" : host;
		return "http://" + host + ":" + address.getPort();
	}

	/**
	 * Returns the CA's trust domain.
	 * @return {@code <cluster-id>.consul}
	 */
	public TrustDomain trustDomain() {
		return this.ca.authority().trustDomain();
	}

	/**
	 * Returns the settings the agent runs with.
	 * @return the settings
	 */
	public DevAgentSettings settings() {
		return this.settings;
	}

	/**
	 * Blocks until the agent is closed.
	 */
	public void awaitClose() {
		this.server.onDispose().block();
	}

	/**
	 * Stops the HTTP API and the background work. Blocked queries are cut off.
	 */
	@Override
	public void close() {
		this.background.dispose();
		this.server.disposeNow(Duration.ofSeconds(5));
		// The server and its connections are closed: no quiet period (Reactor Netty's default waits 2 s for late tasks).
		this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
	}

}
