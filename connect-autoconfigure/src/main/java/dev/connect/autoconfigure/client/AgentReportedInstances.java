package dev.connect.autoconfigure.client;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.connect.mesh.UpstreamAddressBook;
import dev.connect.mesh.UpstreamIdentity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * Wraps the instance list of an upstream, whoever supplies it, and leaves out every instance the agent has not
 * reported for that upstream. The mesh connector checks that a server is the service the agent reported at its
 * address; this check makes that service the one being called, so that a supplier listing another service's
 * address for {@code counting} cannot route a {@code counting} call there.
 */
final class AgentReportedInstances extends DelegatingServiceInstanceListSupplier {

	private static final Log logger = LogFactory.getLog(AgentReportedInstances.class);

	private final UpstreamAddressBook upstreams;

	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	AgentReportedInstances(ServiceInstanceListSupplier delegate, UpstreamAddressBook upstreams) {
		super(delegate);
		this.upstreams = upstreams;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.delegate.get().map(this::reportedOnly);
	}

	@Override
	@SuppressWarnings("rawtypes") // the signature it overrides takes a raw Request
	public Flux<List<ServiceInstance>> get(Request request) {
		return this.delegate.get(request).map(this::reportedOnly);
	}

	private List<ServiceInstance> reportedOnly(List<ServiceInstance> instances) {
		String service = getServiceId();
		for (ServiceInstance instance : instances) {
			if (!isExpected(service, this.upstreams.expectedAt(instance.getHost(), instance.getPort()))) {
				return instances.stream().filter(this::isReported).toList();
			}
		}
		return instances;
	}

	private boolean isReported(ServiceInstance instance) {
		String service = getServiceId();
		String address = instance.getHost() + ":" + instance.getPort();
		UpstreamIdentity there = this.upstreams.expectedAt(instance.getHost(), instance.getPort());
		if (isExpected(service, there)) {
			return true;
		}
		if (this.reported.add(address)) {
			logger.warn("Left out instance " + address + " of '" + service + "': the agent reports "
					+ ((there != null) ? "'" + there + "'" : "no single mesh service") + " there");
		}
		return false;
	}

	private static boolean isExpected(String service, @Nullable UpstreamIdentity there) {
		return there != null && there.service().equals(service);
	}

}
