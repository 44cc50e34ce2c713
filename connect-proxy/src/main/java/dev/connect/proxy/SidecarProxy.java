package dev.connect.proxy;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.connect.api.AgentService;
import dev.connect.authz.AgentAuthorizer;
import dev.connect.authz.CachingAuthorizer;
import dev.connect.client.AgentCertificateSource;
import dev.connect.client.AgentClient;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.proxy.metrics.AdminServer;
import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.tls.CertificateSource;
import dev.connect.tls.CertificateSnapshot;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A running sidecar proxy: reads its {@code connect-proxy} registration from the agent, waits for the destination
 * service's leaf and the mesh's roots, then binds the public listener and one listener per upstream. Either all of
 * them start or none stays started. Afterwards it follows its registration with hash-based blocking: the public
 * listener's address, local app and timeouts, and the upstreams added, changed or removed, are applied live; another
 * destination service is logged and needs a restart. Close it to stop everything.
 */
public final class SidecarProxy implements AutoCloseable {

	private static final Logger logger = System.getLogger(SidecarProxy.class.getName());

	private static final Duration WAIT = Duration.ofMinutes(5);

	private static final Duration AUTHORIZE_TIMEOUT = Duration.ofSeconds(2);

	private final Deque<AutoCloseable> started;

	private final @Nullable Inbound inbound;

	private final Upstreams upstreams;

	/** Written only by the registration watch, one answer at a time. */
	private volatile ProxyRegistration registration;

	private final CertificateSource source;

	private final Clock clock;

	private volatile boolean closed;

	private volatile @Nullable AdminServer admin;

	private SidecarProxy(Deque<AutoCloseable> started, @Nullable Inbound inbound, Upstreams upstreams,
			ProxyRegistration registration, CertificateSource source, Clock clock) {
		this.started = started;
		this.inbound = inbound;
		this.upstreams = upstreams;
		this.registration = registration;
		this.source = source;
		this.clock = clock;
	}

	/**
	 * Starts the proxy registered as {@code proxyId}.
	 * @param client the agent client
	 * @param proxyId the proxy's instance ID
	 * @param clock the clock certificates are checked against
	 * @param materialTimeout how long to wait for the first valid leaf and roots
	 * @return the running proxy
	 * @throws IllegalArgumentException when the registration cannot be served, naming the field and what is allowed
	 * @throws IllegalStateException when the agent cannot be read or a listener cannot be bound
	 */
	public static SidecarProxy start(AgentClient client, String proxyId, Clock clock, Duration materialTimeout) {
		return start(client, proxyId, clock, materialTimeout, null, new ProxyMetrics(), false);
	}

	/**
	 * Starts the proxy registered as {@code proxyId}, refusing to start when the agent's datacenter is not the one
	 * given ({@code -datacenter}).
	 */
	static SidecarProxy start(AgentClient client, String proxyId, Clock clock, Duration materialTimeout,
			@Nullable String datacenter, ProxyMetrics metrics, boolean boringSsl) {
		Objects.requireNonNull(proxyId, "'proxyId' must not be null");
		AgentService service = client.service(proxyId, null, WAIT).block(client.settings().requestTimeout().plusSeconds(1));
		ProxyRegistration registration = ProxyRegistration.from(Objects.requireNonNull(service, "no answer"));
		Deque<AutoCloseable> started = new ArrayDeque<>();
		try {
			return start(client, registration, clock, materialTimeout, started, true,
					new StartOptions(datacenter, metrics, boringSsl));
		}
		catch (RuntimeException ex) {
			closeAll(started);
			throw ex;
		}
	}

	/**
	 * Starts a static proxy (Consul's {@code -service} mode): the registration comes from flags and is not followed;
	 * without {@code -listen} there is no public listener.
	 */
	static SidecarProxy startStatic(AgentClient client, ProxyRegistration registration, boolean publicListener,
			Clock clock, Duration materialTimeout, @Nullable String datacenter, ProxyMetrics metrics, boolean boringSsl) {
		Deque<AutoCloseable> started = new ArrayDeque<>();
		try {
			return start(client, registration, clock, materialTimeout, started, publicListener,
					new StartOptions(datacenter, metrics, boringSsl));
		}
		catch (RuntimeException ex) {
			closeAll(started);
			throw ex;
		}
	}

	private static SidecarProxy start(AgentClient client, ProxyRegistration registration, Clock clock,
			Duration materialTimeout, Deque<AutoCloseable> started, boolean publicListener, StartOptions options) {
		String destination = registration.destination();
		AgentCertificateSource source = AgentCertificateSource.start(client, destination, clock);
		started.push(source::dispose);
		CertificateSnapshot first = source.ready(materialTimeout)
			.onErrorMap((error) -> new IllegalStateException("Unable to get the TLS material of '" + destination
					+ "' from the agent at " + client.settings().address() + " within " + materialTimeout.toSeconds()
					+ " s: " + Objects.requireNonNullElse(source.lastProblem(), String.valueOf(error.getMessage())), error))
			.block();
		logger.log(Level.DEBUG, "TLS material ready: {0}", first);
		options.checkDatacenter(Objects.requireNonNull(first, "no TLS material"));
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		started.push(() -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
		Inbound inbound = null;
		if (publicListener) {
			CachingAuthorizer authorizer = authorizer(client, source, destination, clock);
			inbound = new Inbound(group, source, authorizer, AUTHORIZE_TIMEOUT, registration, options.metrics(),
					options.boringSsl());
			started.push(inbound);
			Disposable intentions = watchIntentions(client, destination, authorizer, inbound);
			started.push(intentions::dispose);
		}
		UpstreamAddressBook addresses = new UpstreamAddressBook();
		source.onTrustDomainChange((before, after) -> addresses.clear());
		Upstreams upstreams = new Upstreams(client, group, source, addresses, options.metrics(), destination,
				options.boringSsl());
		started.push(upstreams);
		upstreams.startAll(registration.upstreams());
		SidecarProxy proxy = new SidecarProxy(started, inbound, upstreams, registration, source, clock);
		if (!registration.proxyId().isEmpty()) {
			Disposable follow = proxy.follow(client);
			started.push(follow::dispose);
		}
		logger.log(Level.INFO, "Proxy ''{0}'' for ''{1}'' listening on {2}, forwarding to {3}; upstreams {4}",
				registration.proxyId(), destination, (inbound != null) ? inbound.address() : "(none)",
				registration.local(), upstreams.addresses());
		return proxy;
	}

	private static CachingAuthorizer authorizer(AgentClient client, AgentCertificateSource source, String destination,
			Clock clock) {
		AgentAuthorizer agent = new AgentAuthorizer(client, destination, () -> {
			CertificateSnapshot snapshot = source.current();
			return (snapshot != null) ? snapshot.trustDomain() : null;
		}, AUTHORIZE_TIMEOUT);
		CachingAuthorizer cache = new CachingAuthorizer(agent, Duration.ofMinutes(5), Duration.ofHours(72), clock);
		source.onTrustDomainChange((before, after) -> cache.clear());
		return cache;
	}

	/**
	 * Every change to the destination's intentions outdates the cached decisions, and every open connection's caller
	 * is asked about again: one no longer allowed is closed within about a second of the change.
	 */
	private static Disposable watchIntentions(AgentClient client, String destination, CachingAuthorizer cache,
			Inbound inbound) {
		return client
			.watch("/v1/connect/intentions/match?by=destination&name=" + destination, WAIT,
					(index, wait) -> client.intentionsFor(destination, index, wait))
			.skip(1)
			.subscribe((changed) -> {
				cache.invalidateAll();
				inbound.reauthorize();
			});
	}

	/** Follows the registration with hash-based blocking; only another destination service needs a restart. */
	private Disposable follow(AgentClient client) {
		String proxyId = this.registration.proxyId();
		return Mono.defer(() -> client.service(proxyId, this.registration.contentHash(), WAIT))
			.doOnNext(this::changed)
			.onErrorResume((error) -> {
				logger.log(Level.WARNING, "Unable to follow the registration of ''{0}'': {1}", proxyId,
						error.getMessage());
				return Mono.delay(Duration.ofSeconds(1)).then(Mono.empty());
			})
			.repeat()
			.subscribe();
	}

	private void changed(AgentService service) {
		ProxyRegistration before = this.registration;
		if (Objects.equals(service.contentHash(), before.contentHash())) {
			return;
		}
		ProxyRegistration after;
		try {
			after = ProxyRegistration.from(service);
		}
		catch (IllegalArgumentException ex) {
			logger.log(Level.WARNING, "Keeping the last registration of ''{0}'': {1}", before.proxyId(),
					ex.getMessage());
			return;
		}
		if (!after.destination().equals(before.destination())) {
			logger.log(Level.WARNING, "The registration of ''{0}'' now fronts ''{1}'' instead of ''{2}'': restart the "
					+ "proxy to present that service's identity", before.proxyId(), after.destination(),
					before.destination());
			return;
		}
		this.registration = after;
		if (this.inbound != null) {
			this.inbound.apply(before, after);
		}
		this.upstreams.apply(after.upstreams());
	}

	/**
	 * Returns where the public listener is bound.
	 * @return the address, or {@code null} for a static proxy started without {@code -listen}
	 */
	public @Nullable InetSocketAddress publicAddress() {
		return (this.inbound != null) ? this.inbound.address() : null;
	}

	/**
	 * Returns the TLS implementation the public listener uses.
	 * @return {@code BoringSSL} or {@code JDK}, or {@code null} without a public listener
	 */
	public @Nullable String tlsProvider() {
		return (this.inbound != null) ? this.inbound.tlsProvider() : null;
	}

	/**
	 * Returns where each upstream listener is bound, by destination service.
	 * @return the addresses
	 */
	public Map<String, InetSocketAddress> upstreamAddresses() {
		return this.upstreams.addresses();
	}

	/**
	 * Returns whether the proxy is ready: its public listener (if it has one) is accepting and its leaf is within its
	 * validity period; what {@code /ready} answers.
	 * @return whether it is ready
	 */
	public boolean ready() {
		CertificateSnapshot material = this.source.current();
		boolean valid = material != null && this.clock.instant().isBefore(material.validBefore())
				&& !this.clock.instant().isBefore(material.leaf().getNotBefore().toInstant());
		return !this.closed && valid && (this.inbound == null || this.inbound.serving());
	}

	/**
	 * Returns where {@code /metrics} and {@code /ready} are served.
	 * @return the address, or {@code null} without {@code -admin-addr}
	 */
	public @Nullable InetSocketAddress adminAddress() {
		AdminServer server = this.admin;
		return (server != null) ? server.address() : null;
	}

	/** Keeps the admin server, to stop it with the proxy. */
	synchronized void admin(AdminServer server) {
		this.admin = server;
		this.started.push(server);
	}

	/**
	 * Adds a part to close first when the proxy closes (a self-registration, deregistered before the listeners go).
	 * @param part the part
	 */
	synchronized void closeFirst(AutoCloseable part) {
		this.started.push(part);
	}

	/** Stops the listeners and watches; open connections are closed with the event loops. */
	@Override
	public synchronized void close() {
		this.closed = true;
		closeAll(this.started);
	}

	private static void closeAll(Deque<AutoCloseable> started) {
		while (!started.isEmpty()) {
			try {
				started.pop().close();
			}
			catch (Exception ex) {
				logger.log(Level.DEBUG, "Unable to close a part of the proxy: {0}", ex.getMessage());
			}
		}
	}

}
