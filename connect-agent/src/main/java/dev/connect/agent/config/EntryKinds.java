package dev.connect.agent.config;

import java.util.List;
import java.util.Map;

import dev.connect.agent.config.Schema.Empty;
import dev.connect.agent.config.Schema.Field;
import dev.connect.agent.config.Schema.Type;
import org.jspecify.annotations.Nullable;

/**
 * The config entry kinds the dev agent serves, each with the struct Consul decodes it into (CE: no Namespace or
 * Partition fields, so those keys are refused as Consul CE refuses them). Fields of these kinds that the agent does
 * not implement are left out, so a body using them is refused rather than half applied.
 */
final class EntryKinds {

	static final String SERVICE_INTENTIONS = "service-intentions";

	static final String SERVICE_DEFAULTS = "service-defaults";

	static final String PROXY_DEFAULTS = "proxy-defaults";

	static final String MESH = "mesh";

	static final String GLOBAL = "global";

	private static final Schema HEADER = Schema.of(Field.of("Name", Type.STRING, Empty.ZERO),
			Field.of("Present", Type.BOOL, Empty.OMIT), Field.of("Exact", Type.STRING, Empty.OMIT),
			Field.of("Prefix", Type.STRING, Empty.OMIT), Field.of("Suffix", Type.STRING, Empty.OMIT),
			Field.of("Contains", Type.STRING, Empty.OMIT), Field.of("Regex", Type.STRING, Empty.OMIT),
			Field.of("Invert", Type.BOOL, Empty.OMIT), Field.of("IgnoreCase", Type.BOOL, Empty.OMIT));

	private static final Schema HTTP = Schema.of(Field.of("PathExact", Type.STRING, Empty.OMIT),
			Field.of("PathPrefix", Type.STRING, Empty.OMIT), Field.of("PathRegex", Type.STRING, Empty.OMIT),
			Field.list("Header", Empty.OMIT, HEADER), Field.of("Methods", Type.STRING_LIST, Empty.OMIT));

	/** One L7 permission; JWT is decoded so that it can be refused by name. */
	static final Schema PERMISSION = Schema.of(Field.of("Action", Type.STRING, Empty.ZERO),
			Field.object("HTTP", Empty.OMIT, HTTP), Field.of("JWT", Type.ANY, Empty.OMIT));

	private static final Schema SOURCE = Schema.of(Field.of("Name", Type.STRING, Empty.ZERO),
			Field.of("Action", Type.STRING, Empty.OMIT), Field.list("Permissions", Empty.OMIT, PERMISSION),
			Field.of("Precedence", Type.INT, Empty.ZERO), Field.of("LegacyID", Type.STRING, Empty.OMIT),
			Field.of("Type", Type.STRING, Empty.ZERO), Field.of("Description", Type.STRING, Empty.OMIT),
			Field.of("LegacyMeta", Type.STRING_MAP, Empty.OMIT), Field.of("LegacyCreateTime", Type.TIME, Empty.OMIT),
			Field.of("LegacyUpdateTime", Type.TIME, Empty.OMIT), Field.of("Peer", Type.STRING, Empty.OMIT),
			Field.of("SamenessGroup", Type.STRING, Empty.OMIT));

	private static final Schema INTENTIONS = Schema.of(Field.list("Sources", Empty.NULL, SOURCE),
			Field.of("JWT", Type.ANY, Empty.OMIT), Field.of("Meta", Type.STRING_MAP, Empty.OMIT));

	private static final Schema TRANSPARENT_PROXY = Schema.of(
			Field.of("OutboundListenerPort", Type.INT, Empty.OMIT), Field.of("DialedDirectly", Type.BOOL, Empty.OMIT));

	private static final Schema MESH_GATEWAY = Schema.of(Field.of("Mode", Type.STRING, Empty.OMIT));

	private static final Schema EXPOSE = Schema.of(Field.of("Checks", Type.BOOL, Empty.OMIT),
			Field.of("Paths", Type.ANY, Empty.OMIT));

	private static final Schema SERVICE_DEFAULTS_SCHEMA = Schema.of(Field.of("Protocol", Type.STRING, Empty.ZERO),
			Field.of("Mode", Type.STRING, Empty.OMIT),
			Field.object("TransparentProxy", Empty.STRUCT, TRANSPARENT_PROXY),
			Field.object("MeshGateway", Empty.STRUCT, MESH_GATEWAY), Field.object("Expose", Empty.STRUCT, EXPOSE),
			Field.of("Meta", Type.STRING_MAP, Empty.OMIT));

	private static final Schema PROXY_DEFAULTS_SCHEMA = Schema.of(Field.of("Config", Type.ANY_MAP, Empty.OMIT),
			Field.of("Mode", Type.STRING, Empty.OMIT),
			Field.object("TransparentProxy", Empty.STRUCT, TRANSPARENT_PROXY),
			Field.object("MeshGateway", Empty.STRUCT, MESH_GATEWAY), Field.object("Expose", Empty.STRUCT, EXPOSE),
			Field.of("Meta", Type.STRING_MAP, Empty.OMIT));

	private static final Schema NORMALIZATION = Schema.of(
			Field.of("InsecureDisablePathNormalization", Type.BOOL, Empty.OMIT),
			Field.of("MergeSlashes", Type.BOOL, Empty.OMIT),
			Field.of("PathWithEscapedSlashesAction", Type.STRING, Empty.OMIT),
			Field.of("HeadersWithUnderscoresAction", Type.STRING, Empty.OMIT));

	private static final Schema MESH_SCHEMA = Schema.of(
			Field.object("TransparentProxy", Empty.STRUCT,
					Schema.of(Field.of("MeshDestinationsOnly", Type.BOOL, Empty.ZERO))),
			Field.of("AllowEnablingPermissiveMutualTLS", Type.BOOL, Empty.OMIT),
			Field.of("ValidateClusters", Type.BOOL, Empty.OMIT),
			Field.object("HTTP", Empty.OMIT,
					Schema.of(Field.of("SanitizeXForwardedClientCert", Type.BOOL, Empty.ZERO),
							Field.object("Incoming", Empty.OMIT,
									Schema.of(Field.object("RequestNormalization", Empty.OMIT, NORMALIZATION))))),
			Field.of("Meta", Type.STRING_MAP, Empty.OMIT));

	/** Every kind Consul knows, in {@code structs.MakeConfigEntry}: the others are Consul's, not served here. */
	static final List<String> CONSUL_KINDS = List.of(SERVICE_DEFAULTS, PROXY_DEFAULTS, "service-router",
			"service-splitter", "service-resolver", "ingress-gateway", "terminating-gateway", SERVICE_INTENTIONS, MESH,
			"exported-services", "sameness-group", "api-gateway", "bound-api-gateway", "file-system-certificate",
			"inline-certificate", "http-route", "tcp-route", "jwt-provider");

	private static final Map<String, Schema> SCHEMAS = Map.of(SERVICE_INTENTIONS, INTENTIONS, SERVICE_DEFAULTS,
			SERVICE_DEFAULTS_SCHEMA, PROXY_DEFAULTS, PROXY_DEFAULTS_SCHEMA, MESH, MESH_SCHEMA);

	private EntryKinds() {
	}

	/** The struct of a kind the agent serves, or {@code null}. */
	static @Nullable Schema schema(String kind) {
		return SCHEMAS.get(kind);
	}

	/** Whether entries of a kind carry a {@code Name} (the mesh entry is a singleton without one). */
	static boolean named(String kind) {
		return !MESH.equals(kind);
	}

}
