package dev.connect.proxy.upstream;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import dev.connect.api.Indexed;
import dev.connect.api.ServiceEntry;
import dev.connect.client.AgentClient;
import dev.connect.mesh.UpstreamAddressBook;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * The healthy instances of one upstream service, followed by a kept-open blocking watch on
 * {@code /v1/health/connect/<service>?passing} (sidecar proxies and Connect-native instances both answer there).
 * Every instance handed out is first recorded in the {@link UpstreamAddressBook} with the identity its server must
 * prove (the node's datacenter, the destination service), and forgotten when it leaves. Picks are round-robin.
 * Thread-safe.
 */
public final class UpstreamResolver implements AutoCloseable {

	private static final Logger logger = System.getLogger(UpstreamResolver.class.getName());

	private static final Duration WAIT = Duration.ofMinutes(5);

	private final String service;

	private final UpstreamAddressBook addresses;

	private final AtomicInteger next = new AtomicInteger();

	private volatile List<UpstreamAddressBook.Instance> instances = List.of();

	private final Disposable watch;

	private UpstreamResolver(AgentClient client, String service, UpstreamAddressBook addresses) {
		this.service = service;
		this.addresses = addresses;
		this.watch = client
			.watch("/v1/health/connect/" + service + "?passing", WAIT,
					(index, wait) -> client.healthConnect(service, true, index, wait),
					(error) -> logger.log(Level.WARNING, "Unable to read the instances of upstream ''{0}'': {1}", service,
							error.getMessage()))
			.subscribe(this::update);
	}

	/**
	 * Starts following a service's healthy instances.
	 * @param client the agent client
	 * @param service the upstream service
	 * @param addresses where the identity expected at each instance's address is recorded
	 * @return the resolver; close it to stop the watch
	 */
	public static UpstreamResolver start(AgentClient client, String service, UpstreamAddressBook addresses) {
		Objects.requireNonNull(client, "'client' must not be null");
		Objects.requireNonNull(service, "'service' must not be null");
		Objects.requireNonNull(addresses, "'addresses' must not be null");
		return new UpstreamResolver(client, service, addresses);
	}

	/**
	 * Picks the next instance, round-robin, skipping one address (the instance a failed attempt went to) when another
	 * is known.
	 * @param avoid an address to skip, or {@code null}
	 * @return the instance's address, or {@code null} when no healthy instance is known (or only the avoided one)
	 */
	public @Nullable InetSocketAddress pick(@Nullable InetSocketAddress avoid) {
		List<UpstreamAddressBook.Instance> current = this.instances;
		for (int i = 0; i < current.size(); i++) {
			UpstreamAddressBook.Instance candidate = current.get(Math.floorMod(this.next.getAndIncrement(), current.size()));
			InetSocketAddress address = InetSocketAddress.createUnresolved(candidate.host(), candidate.port());
			if (!address.equals(avoid)) {
				return address;
			}
		}
		return null;
	}

	/**
	 * Returns the service followed.
	 * @return the service name
	 */
	public String service() {
		return this.service;
	}

	private void update(Indexed<List<ServiceEntry>> answer) {
		List<UpstreamAddressBook.Instance> fresh = new ArrayList<>();
		for (ServiceEntry entry : answer.value()) {
			fresh.add(UpstreamAddressBook.Instance.of(entry, this.service));
		}
		// Recorded before it can be picked: a handshake with it must find the identity expected there.
		this.addresses.update(this.instances, fresh);
		this.instances = List.copyOf(fresh);
		logger.log(Level.DEBUG, "Upstream ''{0}'' has {1} healthy instance(s)", this.service, fresh.size());
	}

	@Override
	public void close() {
		this.watch.dispose();
	}

}
