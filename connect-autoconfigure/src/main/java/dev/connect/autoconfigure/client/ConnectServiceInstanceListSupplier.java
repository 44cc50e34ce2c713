package dev.connect.autoconfigure.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.connect.api.ServiceEntry;
import dev.connect.client.AgentClient;
import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.mesh.UpstreamIdentity;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;

/**
 * The instances of one upstream service, pushed by a blocking watch on
 * {@code /v1/health/connect/<service>?passing}: Connect-native instances and sidecar proxies, as Consul defines
 * them. Each instance is secure ({@code https}), its host the service address or else the node address, its port
 * the service port. Every list also updates the {@link UpstreamAddressBook}, so the mesh connector knows which
 * identity to expect at each address: the service in the instance's node's datacenter, in the default namespace
 * and partition (Consul CE's). One watch per supplier, connected for the supplier's whole life (the load
 * balancer takes one list per call and cancels, which must not stop the watch) and shared by all subscribers, each
 * of which first gets the latest list.
 */
final class ConnectServiceInstanceListSupplier implements ServiceInstanceListSupplier, DisposableBean {

	private final String serviceId;

	private final Flux<List<ServiceInstance>> instances;

	private final Map<String, Expected> known = new HashMap<>();

	private final Disposable watch;

	ConnectServiceInstanceListSupplier(String serviceId, AgentClient client, UpstreamAddressBook upstreams) {
		this.serviceId = serviceId;
		ConnectableFlux<List<ServiceInstance>> lists = client
			.watch("health of " + serviceId, Duration.ofMinutes(5),
					(index, wait) -> client.healthConnect(serviceId, true, index, wait))
			.map((answer) -> instances(answer.value(), upstreams))
			.replay(1);
		this.instances = lists;
		this.watch = lists.connect();
	}

	@Override
	public void destroy() {
		this.watch.dispose();
	}

	private synchronized List<ServiceInstance> instances(List<ServiceEntry> entries, UpstreamAddressBook upstreams) {
		List<ServiceInstance> instances = new ArrayList<>();
		Map<String, Expected> current = new HashMap<>();
		for (ServiceEntry entry : entries) {
			String host = entry.service().address().isEmpty() ? entry.node().address() : entry.service().address();
			int port = entry.service().port();
			// The identity Consul's own clients expect of this instance: its service in the node's datacenter.
			Expected expected = new Expected(host, port, UpstreamIdentity.of(entry.node().datacenter(), this.serviceId));
			upstreams.expect(host, port, expected.identity());
			current.put(expected.key(), expected);
			instances.add(new DefaultServiceInstance(entry.service().id(), this.serviceId, host, port, true,
					Map.copyOf(entry.service().meta())));
		}
		this.known.forEach((key, gone) -> {
			if (!gone.equals(current.get(key))) {
				upstreams.forget(gone.host(), gone.port(), gone.identity());
			}
		});
		this.known.clear();
		this.known.putAll(current);
		return List.copyOf(instances);
	}

	/** An instance's address and the identity recorded for it. */
	private record Expected(String host, int port, UpstreamIdentity identity) {

		String key() {
			return this.host + "\u0000" + this.port + "\u0000" + this.identity;
		}

	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.instances;
	}

}
