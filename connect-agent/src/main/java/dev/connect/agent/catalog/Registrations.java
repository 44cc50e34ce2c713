package dev.connect.agent.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.connect.api.CheckDefinition;
import dev.connect.api.ConnectProxyConfig;
import dev.connect.api.MultiError;
import dev.connect.api.ServiceConnect;
import dev.connect.api.ServiceRegistration;
import dev.connect.api.Weights;
import org.jspecify.annotations.Nullable;

/**
 * Turns a registration body into instances and checks, with Consul's validation and sidecar expansion:
 * <ol>
 * <li>a name is required; {@code 0.0.0.0} and {@code ::} are not service addresses; meta and weights follow
 * Consul's limits;</li>
 * <li>a {@code connect-proxy} names a non-wildcard destination, has a port and is not Connect-native; a
 * Connect-native service has a port;</li>
 * <li>{@code Connect.SidecarService} registers {@code <id>-sidecar-proxy} with the lowest free port of 21000-21255,
 * pointing at the parent, with a TCP and an alias check unless it brings its own;</li>
 * <li>checks follow {@link CheckDefinitions}.</li>
 * </ol>
 */
final class Registrations {

	static final int SIDECAR_MIN_PORT = 21000;

	static final int SIDECAR_MAX_PORT = 21255;

	private static final Pattern META_KEY = Pattern.compile("[a-zA-Z0-9_-]+");

	private Registrations() {
	}

	record Parsed(List<ServiceInstance> instances, List<CheckState> checks) {
	}

	static Parsed parse(ServiceRegistration registration, Collection<ServiceInstance> existing, Instant now) {
		ServiceInstance service = instance(registration, null, 0);
		List<ServiceInstance> instances = new ArrayList<>(List.of(service));
		List<CheckState> checks = new ArrayList<>(CheckDefinitions.checks(registration, service, now));
		ServiceRegistration sidecar = (registration.connect() != null) ? registration.connect().sidecarService() : null;
		if (sidecar != null) {
			if (sidecar.id() != null && !sidecar.id().isEmpty()) {
				throw invalid("Validation failed: " + MultiError.format(List.of("SidecarService cannot specify an ID")));
			}
			if (sidecar.connect() != null && sidecar.connect().sidecarService() != null) {
				throw invalid("Validation failed: "
						+ MultiError.format(List.of("SidecarService cannot have a nested SidecarService")));
			}
			int port = (sidecar.port() > 0) ? sidecar.port() : freeSidecarPort(existing, service.id());
			ServiceInstance proxy = sidecarInstance(sidecar, service, port);
			instances.add(proxy);
			checks.addAll(sidecarChecks(sidecar, proxy, service, now));
		}
		return new Parsed(instances, checks);
	}

	/**
	 * Returns the registration as the data directory keeps it: with the port the agent picked for its sidecar, so
	 * that the next agent, registering it again in whatever order, gives the sidecar the same port.
	 */
	static ServiceRegistration withSidecarPort(ServiceRegistration registration, Parsed parsed) {
		ServiceConnect connect = registration.connect();
		if (connect == null) {
			return registration;
		}
		ServiceRegistration sidecar = connect.sidecarService();
		if (sidecar == null || sidecar.port() > 0) {
			return registration;
		}
		ServiceRegistration pinned = new ServiceRegistration(sidecar.id(), sidecar.name(), sidecar.tags(),
				sidecar.address(), sidecar.taggedAddresses(), sidecar.meta(), parsed.instances().get(1).port(),
				sidecar.kind(), sidecar.proxy(), sidecar.connect(), sidecar.check(), sidecar.checks(),
				sidecar.enableTagOverride(), sidecar.weights());
		return new ServiceRegistration(registration.id(), registration.name(), registration.tags(),
				registration.address(), registration.taggedAddresses(), registration.meta(), registration.port(),
				registration.kind(), registration.proxy(), new ServiceConnect(connect.nativeService(), pinned),
				registration.check(), registration.checks(), registration.enableTagOverride(), registration.weights());
	}

	private static ServiceInstance instance(ServiceRegistration registration, @Nullable String parentId, int port) {
		String name = registration.name();
		if (name == null || name.isEmpty()) {
			throw invalid("Missing service name");
		}
		String address = (registration.address() != null) ? registration.address() : "";
		if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
			throw invalid("Invalid service address");
		}
		checkMeta(registration.meta());
		Weights weights = (registration.weights() != null) ? registration.weights() : Weights.DEFAULT;
		if (weights.passing() < 1) {
			throw invalid("Invalid Weights: Passing must be greater than 0");
		}
		if (weights.warning() < 0) {
			throw invalid("Invalid Weights: Warning must be greater or equal than 0");
		}
		String kind = (registration.kind() != null) ? registration.kind() : "";
		boolean connectNative = registration.connect() != null && registration.connect().nativeService();
		String id = (registration.id() != null && !registration.id().isEmpty()) ? registration.id() : name;
		ServiceInstance instance = new ServiceInstance(id, name, kind,
				(registration.tags() != null) ? registration.tags() : List.of(), address,
				(port > 0) ? port : registration.port(), (registration.meta() != null) ? registration.meta() : Map.of(),
				weights, registration.enableTagOverride(), registration.proxy(), connectNative, parentId, 0, 0);
		validateConnect(instance);
		return instance;
	}

	private static void validateConnect(ServiceInstance instance) {
		List<String> errors = new ArrayList<>();
		if (ServiceInstance.CONNECT_PROXY.equals(instance.kind())) {
			String destination = (instance.proxy() != null) ? instance.proxy().destinationServiceName() : null;
			if (destination == null || destination.isEmpty()) {
				errors.add("Proxy.DestinationServiceName must be non-empty for Connect proxy services");
			}
			else if (destination.equals("*")) {
				errors.add("Proxy.DestinationServiceName must not be a wildcard for Connect proxy services");
			}
			if (instance.port() == 0) {
				errors.add("Port or SocketPath must be set for a Connect proxy");
			}
			if (instance.connectNative()) {
				errors.add("A Proxy cannot also be Connect Native, only typical services");
			}
		}
		else if (!instance.kind().isEmpty()) {
			errors.add("Kind '" + instance.kind() + "' is not supported by the dev agent; allowed are '' and 'connect-proxy'");
		}
		if (instance.connectNative() && instance.port() == 0) {
			errors.add("Port or SocketPath must be set for a Connect native service.");
		}
		if (!errors.isEmpty()) {
			throw invalid("Validation failed: " + MultiError.format(errors));
		}
	}

	private static void checkMeta(@Nullable Map<String, String> meta) {
		if (meta == null) {
			return;
		}
		if (meta.size() > 64) {
			throw invalid("Invalid Service Meta: Node metadata cannot contain more than 64 key/value pairs");
		}
		meta.forEach((key, value) -> {
			String problem = null;
			if (key.length() > 128) {
				problem = "Key is too long (limit: 128 characters)";
			}
			else if (!META_KEY.matcher(key).matches()) {
				problem = "Key contains invalid characters";
			}
			else if (key.startsWith("consul-")) {
				problem = "Key prefix 'consul-' is reserved for internal use";
			}
			else if (value != null && value.length() > 512) {
				problem = "Value is too long (limit: 512 characters)";
			}
			if (problem != null) {
				throw invalid("Invalid Service Meta: Couldn't load metadata pair ('" + key + "', '" + value + "'): "
						+ problem);
			}
		});
	}

	private static int freeSidecarPort(Collection<ServiceInstance> existing, String parentId) {
		TreeSet<Integer> used = new TreeSet<>();
		for (ServiceInstance instance : existing) {
			if (!parentId.equals(instance.parentId())) {
				used.add(instance.port());
			}
		}
		for (int port = SIDECAR_MIN_PORT; port <= SIDECAR_MAX_PORT; port++) {
			if (!used.contains(port)) {
				return port;
			}
		}
		throw new IllegalStateException("no port provided for sidecar_service and none left in the configured range ["
				+ SIDECAR_MIN_PORT + ", " + SIDECAR_MAX_PORT + "]");
	}

	private static ServiceInstance sidecarInstance(ServiceRegistration sidecar, ServiceInstance parent, int port) {
		ConnectProxyConfig given = sidecar.proxy();
		ConnectProxyConfig proxy = new ConnectProxyConfig(parent.name(), parent.id(), "127.0.0.1", parent.port(),
				(given != null) ? given.mode() : null, (given != null) ? given.config() : null,
				(given != null) ? given.upstreams() : null);
		List<String> tags = (sidecar.tags() != null) ? sidecar.tags() : parent.tags();
		Map<String, String> meta = (sidecar.meta() != null) ? sidecar.meta() : parent.meta();
		String address = (sidecar.address() != null) ? sidecar.address() : parent.address();
		ServiceRegistration expanded = new ServiceRegistration(parent.id() + "-sidecar-proxy",
				parent.name() + "-sidecar-proxy", tags, address, null, meta, port, ServiceInstance.CONNECT_PROXY, proxy,
				null, null, null, false, sidecar.weights());
		return instance(expanded, parent.id(), port);
	}

	private static List<CheckState> sidecarChecks(ServiceRegistration sidecar, ServiceInstance proxy,
			ServiceInstance parent, Instant now) {
		if (sidecar.check() != null || (sidecar.checks() != null && !sidecar.checks().isEmpty())) {
			return CheckDefinitions.checks(sidecar, proxy, now);
		}
		String host = proxy.address().isEmpty() ? "127.0.0.1" : proxy.address();
		CheckDefinition listening = new CheckDefinition(null, "Connect Sidecar Listening", null, null, null, null, null,
				null, null, null, false, null, host + ":" + proxy.port(), "10s", null, null, null);
		CheckDefinition aliasing = new CheckDefinition(null, "Connect Sidecar Aliasing " + parent.id(), null, null,
				null, null, null, null, null, null, false, null, null, null, null, null, parent.id());
		return List.of(CheckDefinitions.check(listening, "service:" + proxy.id() + ":1", proxy, now),
				CheckDefinitions.check(aliasing, "service:" + proxy.id() + ":2", proxy, now));
	}

	private static InvalidRegistrationException invalid(String message) {
		return new InvalidRegistrationException(message);
	}

}
