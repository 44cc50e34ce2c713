package dev.connect.client;

import dev.connect.api.AgentService;
import dev.connect.api.AuthorizeResult;
import dev.connect.api.CaRoots;
import dev.connect.api.Intention;
import dev.connect.api.LeafCert;
import dev.connect.api.ServiceEntry;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * Strict reading of the agent answers that the mesh's decisions and material depend on. The agent is trusted, but a
 * proxy in between, a bug or a half-written answer must never become access, so an answer is refused unless:
 * <ol>
 * <li>it is one JSON document with no key given twice in any object, and nothing after it;</li>
 * <li>every field its {@link AnswerShape} requires is present with exactly its JSON type;</li>
 * <li>every other field it binds has its own JSON type: no scalar coercion (a string or a number is never a
 * boolean, a fraction never an integer); an optional field that is absent or {@code null} takes its empty value.</li>
 * </ol>
 * Unknown fields are ignored. A refusal's message names the field and the types, never a value: a leaf answer
 * carries a private key.
 */
final class AgentAnswers {

	static final AnswerShape AUTHORIZE = AnswerShape.object()
		.with("Authorized", AnswerShape.bool())
		.with("Reason", AnswerShape.string());

	static final AnswerShape ROOTS = AnswerShape.object()
		.with("ActiveRootID", AnswerShape.string())
		.with("TrustDomain", AnswerShape.string())
		.with("Roots", AnswerShape.arrayOf(AnswerShape.object()
			.with("ID", AnswerShape.string())
			.with("RootCert", AnswerShape.string())
			.with("Active", AnswerShape.bool())));

	static final AnswerShape LEAF = AnswerShape.object()
		.with("SerialNumber", AnswerShape.string())
		.with("CertPEM", AnswerShape.string())
		.with("PrivateKeyPEM", AnswerShape.string())
		.with("Service", AnswerShape.string())
		.with("ServiceURI", AnswerShape.string())
		.with("ValidAfter", AnswerShape.string())
		.with("ValidBefore", AnswerShape.string());

	/** {@code /v1/connect/intentions/match}: each name mapped to its intentions, L4 ones with an action. */
	static final AnswerShape MATCH = AnswerShape.mapOf(AnswerShape.arrayOf(AnswerShape.object()
		.with("SourceName", AnswerShape.string())
		.with("DestinationName", AnswerShape.string())
		.with("Precedence", AnswerShape.integer())));

	/** {@code /v1/health/connect/<service>}: what an instance's address and expected identity derive from. */
	static final AnswerShape HEALTH = AnswerShape.arrayOf(AnswerShape.object()
		.with("Node", AnswerShape.object()
			.with("Node", AnswerShape.string())
			.with("Address", AnswerShape.string())
			.with("Datacenter", AnswerShape.string()))
		.with("Service", AnswerShape.object()
			.with("ID", AnswerShape.string())
			.with("Service", AnswerShape.string())
			.with("Address", AnswerShape.string())
			.with("Port", AnswerShape.integer()))
		.with("Checks", AnswerShape.arrayOf(AnswerShape.object()
			.with("CheckID", AnswerShape.string())
			.with("Status", AnswerShape.string()))));

	/** {@code /v1/agent/service/<id>}: what a proxy reads its registration from. */
	static final AnswerShape SERVICE = AnswerShape.object()
		.with("ID", AnswerShape.string())
		.with("Service", AnswerShape.string())
		.with("Port", AnswerShape.integer());

	/** {@code /v1/agent/services}: every local service by its ID. */
	static final AnswerShape SERVICES = AnswerShape.mapOf(SERVICE);

	/** {@code /v1/config/<kind>/<name>}: an entry, kept as a tree for its kind's own strict reader. */
	static final AnswerShape CONFIG_ENTRY = AnswerShape.object()
		.with("Kind", AnswerShape.string())
		.with("Name", AnswerShape.string());

	static final TypeReference<JsonNode> TREE_TYPE = new TypeReference<>() {
	};

	static final TypeReference<AgentService> SERVICE_TYPE = new TypeReference<>() {
	};

	static final TypeReference<Map<String, AgentService>> SERVICES_TYPE = new TypeReference<>() {
	};

	static final TypeReference<AuthorizeResult> AUTHORIZE_TYPE = new TypeReference<>() {
	};

	static final TypeReference<CaRoots> ROOTS_TYPE = new TypeReference<>() {
	};

	static final TypeReference<LeafCert> LEAF_TYPE = new TypeReference<>() {
	};

	static final TypeReference<Map<String, List<Intention>>> MATCH_TYPE = new TypeReference<>() {
	};

	static final TypeReference<List<ServiceEntry>> HEALTH_TYPE = new TypeReference<>() {
	};

	private static final JsonMapper STRICT = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		// A parse error must never quote the answer: it may hold a private key.
		.disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		// Consul leaves out some optional numbers; a required field is never null, by its shape.
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
		.withCoercionConfigDefaults((config) -> config.setAcceptBlankAsEmpty(false)
			.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.EmptyObject, CoercionAction.Fail))
		.build();

	private AgentAnswers() {
	}

	/**
	 * Reads an answer strictly.
	 * @param <T> the answer type
	 * @param body the answer's text
	 * @param shape what it must carry
	 * @param type what it binds to
	 * @return the answer
	 * @throws IllegalArgumentException if the answer is refused, with the reason
	 */
	static <T> T read(String body, AnswerShape shape, TypeReference<T> type) {
		JsonNode tree;
		try {
			tree = STRICT.readTree(body);
		}
		catch (JacksonException ex) {
			// Only a duplicate key's message is shown: others may quote the text near the error.
			String detail = ex.getOriginalMessage().startsWith("Duplicate") ? ": " + ex.getOriginalMessage() : "";
			throw new IllegalArgumentException("not one well-formed JSON document with unique keys" + detail, ex);
		}
		if (tree == null || tree.isMissingNode()) {
			throw new IllegalArgumentException("the answer is empty");
		}
		shape.check(tree);
		try {
			return STRICT.treeToValue(tree, STRICT.constructType(type));
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("the field at " + ex.getPathReference() + " has the wrong JSON type", ex);
		}
	}

}
