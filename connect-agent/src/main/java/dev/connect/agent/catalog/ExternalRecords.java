package dev.connect.agent.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.connect.api.AgentService;
import dev.connect.api.HealthCheck;
import dev.connect.api.Weights;
import org.jspecify.annotations.Nullable;

/**
 * Conversions between the catalog API's wire records ({@code Service} in the agent service JSON, {@code Check} as
 * Consul's {@code HealthCheck}) and what the catalog stores, with Consul's checks of the service and check fields.
 */
final class ExternalRecords {

	private static final Duration NO_TIMEOUT = Duration.ofSeconds(10);

	private ExternalRecords() {
	}

	static ServiceInstance service(AgentService service) {
		String name = (service.service() != null) ? service.service() : "";
		String id = (service.id() != null && !service.id().isEmpty()) ? service.id() : name;
		if (name.isEmpty()) {
			throw new InvalidRegistrationException(id.isEmpty() ? "Must provide service name"
					: "Must provide service name with ID");
		}
		String address = (service.address() != null) ? service.address() : "";
		if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
			throw new InvalidRegistrationException("Invalid service address");
		}
		String kind = (service.kind() != null) ? service.kind() : "";
		if (ServiceInstance.CONNECT_PROXY.equals(kind) && (service.proxy() == null
				|| service.proxy().destinationServiceName() == null
				|| service.proxy().destinationServiceName().isEmpty())) {
			throw new InvalidRegistrationException(
					"Proxy.DestinationServiceName must be non-empty for Connect proxy services");
		}
		boolean connectNative = service.connect() != null && Boolean.TRUE.equals(service.connect().get("Native"));
		return new ServiceInstance(id, name, kind, (service.tags() != null) ? service.tags() : List.of(), address,
				service.port(), (service.meta() != null) ? service.meta() : Map.of(),
				(service.weights() != null) ? service.weights() : Weights.DEFAULT, service.enableTagOverride(),
				service.proxy(), connectNative, null, 0, 0);
	}

	static CheckState check(HealthCheck check, String node, Map<String, ServiceInstance> services,
			@Nullable CheckState previous, long index) {
		if (check.node() != null && !check.node().isEmpty() && !check.node().equals(node)) {
			throw new InvalidRegistrationException("Check node '" + check.node() + "' must be the registered node '"
					+ node + "': the dev agent registers checks on the request's node only");
		}
		String id = checkId(check);
		if (id.isEmpty()) {
			throw new InvalidRegistrationException("Must provide check ID or name");
		}
		String serviceId = (check.serviceId() != null) ? check.serviceId() : "";
		ServiceInstance service = services.get(serviceId);
		if (!serviceId.isEmpty() && service == null) {
			throw new InvalidRegistrationException("Missing service registration");
		}
		String status = (check.status() != null && !check.status().isEmpty()) ? check.status() : CheckState.CRITICAL;
		return new CheckState(id, orEmpty(check.name()), orEmpty(check.notes()), serviceId,
				(service != null) ? service.name() : "", orEmpty(check.type()), "", status, orEmpty(check.output()),
				null, null, NO_TIMEOUT, null, null, null, (previous != null) ? previous.createIndex() : index, index,
				false, "GET", Map.of(), "", "");
	}

	static String checkId(HealthCheck check) {
		String id = orEmpty(check.checkId());
		return id.isEmpty() ? orEmpty(check.name()) : id;
	}

	static List<HealthCheck> checksOf(ExternalNode node, String serviceId) {
		return node.checks()
			.values()
			.stream()
			.filter((check) -> check.serviceId().equals(serviceId))
			.sorted(java.util.Comparator.comparing(CheckState::checkId))
			.map((check) -> new HealthCheck(node.name(), check.checkId(), check.name(), check.status(), check.notes(),
					check.output(), check.serviceId(), check.serviceName(), List.of(), check.type(), 0, 0))
			.toList();
	}

	static AgentService agentService(ServiceInstance service) {
		return new AgentService(service.kind().isEmpty() ? null : service.kind(), service.id(), service.name(),
				service.tags(), service.meta(), service.port(), service.address(), service.weights(),
				service.enableTagOverride(), "", service.proxy(),
				service.connectNative() ? Map.of("Native", true) : null, null);
	}

	static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}
}
