package dev.connect.autoconfigure.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.connect.api.ServiceEntry;
import dev.connect.client.AgentClient;
import dev.connect.mesh.UpstreamAddressBook;
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
 * identity to expect at each address ({@link UpstreamAddressBook.Instance#of}). One watch per supplier, connected for the supplier's whole life (the load
 * balancer takes one list per call and cancels, which must not stop the watch) and shared by all subscribers, each
 * of which first gets the latest list.
 */
final class ConnectServiceInstanceListSupplier implements ServiceInstanceListSupplier, DisposableBean {

	private final String serviceId;

	private final Flux<List<ServiceInstance>> instances;

	private List<UpstreamAddressBook.Instance> known = List.of();

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
		List<UpstreamAddressBook.Instance> current = new ArrayList<>();
		for (ServiceEntry entry : entries) {
			UpstreamAddressBook.Instance instance = UpstreamAddressBook.Instance.of(entry, this.serviceId);
			current.add(instance);
			instances.add(new DefaultServiceInstance(entry.service().id(), this.serviceId, instance.host(),
					instance.port(), true, Map.copyOf(entry.service().meta())));
		}
		upstreams.update(this.known, current);
		this.known = List.copyOf(current);
		return List.copyOf(instances);
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
