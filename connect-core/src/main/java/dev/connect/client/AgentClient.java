package dev.connect.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

import dev.connect.api.AgentService;
import dev.connect.api.AuthorizeRequest;
import dev.connect.api.AuthorizeResult;
import dev.connect.api.CaRoots;
import dev.connect.api.ConfigEntry;
import dev.connect.api.Indexed;
import dev.connect.api.Intention;
import dev.connect.api.LeafCert;
import dev.connect.api.ServiceEntry;
import dev.connect.api.ServiceRegistration;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.SslProvider;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A reactive client for the Consul agent HTTP API on Reactor Netty: the endpoints Connect needs, each blocking read
 * taking the client's last index and a wait, and {@link #watch} to follow one of them for as long as subscribed.
 * The token is sent as {@code X-Consul-Token} on every call and never logged. Thread-safe; create one per agent.
 */
public final class AgentClient {

	/** Writes request bodies; answers are read strictly ({@link AgentAnswers}). */
	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Extra time a blocking call may take beyond its wait: Consul's jitter (wait/16) plus a margin. */
	private static final Duration BLOCKING_MARGIN = Duration.ofSeconds(5);

	private final AgentClientSettings settings;

	private final HttpClient http;

	private AgentClient(AgentClientSettings settings, HttpClient http) {
		this.settings = settings;
		this.http = http;
	}

	/**
	 * Creates a client.
	 * @param settings the agent address, token and timeouts
	 * @return the client
	 */
	public static AgentClient create(AgentClientSettings settings) {
		Objects.requireNonNull(settings, "'settings' must not be null");
		HttpClient http = HttpClient.create().baseUrl(settings.address().toString()).headers((headers) -> {
			headers.set("Content-Type", "application/json");
			if (settings.token() != null) {
				headers.set("X-Consul-Token", settings.token());
			}
		});
		if ("https".equals(settings.address().getScheme())) {
			java.nio.file.Path caFile = settings.caFile();
			SslProvider.GenericSslContextSpec<SslContextBuilder> tls = (caFile != null)
					? Http11SslContextSpec.forClient().configure((builder) -> builder.trustManager(caFile.toFile()))
					: Http11SslContextSpec.forClient();
			http = http.secure((spec) -> spec.sslContext(tls));
		}
		return new AgentClient(settings, http);
	}

	/**
	 * Returns the settings.
	 * @return the settings
	 */
	public AgentClientSettings settings() {
		return this.settings;
	}

	/**
	 * {@code GET /v1/agent/connect/ca/roots}.
	 * @param index the last index seen, 0 to answer at once
	 * @param wait how long to block
	 * @return the roots and their index
	 */
	public Mono<Indexed<CaRoots>> roots(long index, Duration wait) {
		return read("GET /v1/agent/connect/ca/roots", "/v1/agent/connect/ca/roots" + blocking("?", index, wait),
				index, wait, AgentAnswers.ROOTS, AgentAnswers.ROOTS_TYPE);
	}

	/**
	 * {@code GET /v1/agent/connect/ca/leaf/<service>}.
	 * @param service the service name
	 * @param index the last index seen, 0 to answer at once
	 * @param wait how long to block
	 * @return the leaf and its index
	 */
	public Mono<Indexed<LeafCert>> leaf(String service, long index, Duration wait) {
		return read("GET /v1/agent/connect/ca/leaf/" + service,
				"/v1/agent/connect/ca/leaf/" + encode(service) + blocking("?", index, wait), index, wait,
				AgentAnswers.LEAF, AgentAnswers.LEAF_TYPE);
	}

	/**
	 * {@code POST /v1/agent/connect/authorize}.
	 * @param request the target and the caller's URI
	 * @return the decision
	 */
	public Mono<AuthorizeResult> authorize(AuthorizeRequest request) {
		return send(HttpMethod.POST, "POST /v1/agent/connect/authorize", "/v1/agent/connect/authorize", request)
			.map((body) -> parse(body, "POST /v1/agent/connect/authorize", AgentAnswers.AUTHORIZE,
					AgentAnswers.AUTHORIZE_TYPE));
	}

	/**
	 * {@code GET /v1/connect/intentions/match?by=destination&name=<service>}: the intentions that apply to a
	 * destination, in evaluation order.
	 * @param service the destination service
	 * @param index the last index seen, 0 to answer at once
	 * @param wait how long to block
	 * @return the intentions and their index
	 */
	public Mono<Indexed<List<Intention>>> intentionsFor(String service, long index, Duration wait) {
		String call = "GET /v1/connect/intentions/match?by=destination&name=" + service;
		return read(call, "/v1/connect/intentions/match?by=destination&name=" + encode(service)
				+ blocking("&", index, wait), index, wait, AgentAnswers.MATCH, AgentAnswers.MATCH_TYPE)
			.map((matches) -> new Indexed<>(matches.index(), matches.value().getOrDefault(service, List.of())));
	}

	/**
	 * {@code GET /v1/config/<kind>/<name>}: one config entry, read strictly (one JSON object with unique keys whose
	 * {@code Kind} and {@code Name} are the ones asked for). A 404 is the entry's absence, at the index the agent
	 * gives, so a watch blocks until the entry is written.
	 * @param kind the entry's kind
	 * @param name the entry's name
	 * @param index the last index seen, 0 to answer at once
	 * @param wait how long to block
	 * @return the entry or its absence, and the index
	 */
	public Mono<Indexed<ConfigEntry>> configEntry(String kind, String name, long index, Duration wait) {
		String call = "GET /v1/config/" + kind + "/" + name;
		String path = "/v1/config/" + encode(kind) + "/" + encode(name) + blocking("?", index, wait);
		return this.http.responseTimeout(timeout(index, wait)).get().uri(path).responseSingle((response, content) -> content
			.asString()
			.defaultIfEmpty("")
			.map((body) -> {
				int status = response.status().code();
				if (status != 200 && status != 404) {
					throw AgentException.status(this.settings.address(), call, status, body);
				}
				long answered = consulIndex(response.responseHeaders().get("X-Consul-Index"), call);
				String policy = Objects.toString(response.responseHeaders().get("X-Consul-Default-ACL-Policy"), "");
				Optional<JsonNode> entry = (status == 404) ? Optional.empty()
						: Optional.of(parse(body, call, AgentAnswers.CONFIG_ENTRY, AgentAnswers.TREE_TYPE));
				entry.ifPresent((node) -> checkEntry(node, kind, name, call));
				return new Indexed<>(answered,
						new ConfigEntry(kind, name, entry, policy.trim().toLowerCase(Locale.ROOT)));
			}))
			.onErrorMap((error) -> !(error instanceof AgentException),
					(error) -> AgentException.unreachable(this.settings.address(), call, error));
	}

	private void checkEntry(JsonNode entry, String kind, String name, String call) {
		if (!entry.get("Kind").stringValue().equals(kind) || !entry.get("Name").stringValue().equals(name)) {
			throw AgentException.unreadable(this.settings.address(), call,
					new IllegalArgumentException("the answer is another entry than the one asked for"));
		}
	}

	/**
	 * {@code GET /v1/health/connect/<service>}: the instances that carry Connect traffic for a service.
	 * @param service the service name
	 * @param passing whether to keep only instances whose every check passes
	 * @param index the last index seen, 0 to answer at once
	 * @param wait how long to block
	 * @return the entries and their index
	 */
	public Mono<Indexed<List<ServiceEntry>>> healthConnect(String service, boolean passing, long index, Duration wait) {
		String path = "/v1/health/connect/" + encode(service) + (passing ? "?passing" : "?")
				+ blocking(passing ? "&" : "", index, wait);
		return read("GET /v1/health/connect/" + service, path, index, wait, AgentAnswers.HEALTH,
				AgentAnswers.HEALTH_TYPE);
	}

	/**
	 * {@code GET /v1/agent/services}: every service registered with this agent, by instance ID.
	 * @return the services
	 */
	public Mono<Map<String, AgentService>> services() {
		return read("GET /v1/agent/services", "/v1/agent/services", 0, this.settings.requestTimeout(),
				AgentAnswers.SERVICES, AgentAnswers.SERVICES_TYPE)
			.map(Indexed::value);
	}

	/**
	 * {@code GET /v1/agent/service/<id>} with Consul's hash-based blocking: given the content hash last seen, the
	 * agent answers once the service's content hash differs or the wait is over. The answer's
	 * {@link AgentService#contentHash()} is the {@code X-Consul-ContentHash} header (the body's field when the header
	 * is absent), to pass as {@code hash} on the next call.
	 * @param serviceId the instance ID
	 * @param hash the content hash last seen, or {@code null} to answer at once
	 * @param wait how long to block when a hash is given
	 * @return the service with its content hash
	 */
	public Mono<AgentService> service(String serviceId, @Nullable String hash, Duration wait) {
		String call = "GET /v1/agent/service/" + serviceId;
		String seen = (hash != null) ? hash : "";
		boolean blocking = !seen.isEmpty();
		String path = "/v1/agent/service/" + encode(serviceId) + (blocking
				? "?hash=" + encode(seen) + "&wait=" + Math.max(1, wait.toMillis()) + "ms" : "");
		Duration timeout = blocking ? wait.plus(wait.dividedBy(16)).plus(BLOCKING_MARGIN)
				: this.settings.requestTimeout();
		return this.http.responseTimeout(timeout)
			.get()
			.uri(path)
			.responseSingle((response, content) -> content.asString().defaultIfEmpty("").map((body) -> {
				if (response.status().code() != 200) {
					throw AgentException.status(this.settings.address(), call, response.status().code(), body);
				}
				AgentService service = parse(body, call, AgentAnswers.SERVICE, AgentAnswers.SERVICE_TYPE);
				String header = response.responseHeaders().get("X-Consul-ContentHash");
				return (header == null || header.isEmpty()) ? service : withContentHash(service, header.trim());
			}))
			.onErrorMap((error) -> !(error instanceof AgentException),
					(error) -> AgentException.unreachable(this.settings.address(), call, error));
	}

	private static AgentService withContentHash(AgentService service, String hash) {
		return new AgentService(service.kind(), service.id(), service.service(), service.tags(), service.meta(),
				service.port(), service.address(), service.weights(), service.enableTagOverride(),
				service.datacenter(), service.proxy(), service.connect(), hash);
	}

	/**
	 * {@code PUT /v1/agent/service/register}.
	 * @param registration the registration
	 * @return completion
	 */
	public Mono<Void> register(ServiceRegistration registration) {
		return send(HttpMethod.PUT, "PUT /v1/agent/service/register", "/v1/agent/service/register", registration)
			.then();
	}

	/**
	 * {@code PUT /v1/agent/service/deregister/<id>}.
	 * @param serviceId the instance ID
	 * @return completion
	 */
	public Mono<Void> deregister(String serviceId) {
		return send(HttpMethod.PUT, "PUT /v1/agent/service/deregister/" + serviceId,
				"/v1/agent/service/deregister/" + encode(serviceId), null)
			.then();
	}

	/**
	 * {@code PUT /v1/agent/check/update/<id>}: sets a TTL check's status and output.
	 * @param checkId the check ID
	 * @param status {@code passing}, {@code warning} or {@code critical}
	 * @param output the output
	 * @return completion
	 */
	public Mono<Void> updateTtl(String checkId, String status, String output) {
		return send(HttpMethod.PUT, "PUT /v1/agent/check/update/" + checkId, "/v1/agent/check/update/" + encode(checkId),
				Map.of("Status", status, "Output", output))
			.then();
	}

	/**
	 * Follows a blocking read for as long as subscribed, with Consul's client rules (see {@link BlockingWatch}):
	 * emits the first answer and every answer whose index moved.
	 * @param <T> the answer type
	 * @param name what is watched, for messages
	 * @param wait how long each call blocks
	 * @param query the read, given the last index and the wait
	 * @return the answers
	 */
	public <T> Flux<Indexed<T>> watch(String name, Duration wait, BiFunction<Long, Duration, Mono<Indexed<T>>> query) {
		return watch(name, wait, query, (error) -> {
		});
	}

	/**
	 * Follows a blocking read as {@link #watch(String, Duration, BiFunction)} does, telling a listener about each
	 * failed call (the watch itself keeps retrying).
	 * @param <T> the answer type
	 * @param name what is watched, for messages
	 * @param wait how long each call blocks
	 * @param query the read, given the last index and the wait
	 * @param errors told about every failed call
	 * @return the answers
	 */
	public <T> Flux<Indexed<T>> watch(String name, Duration wait, BiFunction<Long, Duration, Mono<Indexed<T>>> query,
			java.util.function.Consumer<Throwable> errors) {
		return new BlockingWatch<>(name, wait, query, RandomGenerator.getDefault(), errors).flux();
	}

	private <T> Mono<Indexed<T>> read(String call, String path, long index, Duration wait, AnswerShape shape,
			TypeReference<T> type) {
		return this.http.responseTimeout(timeout(index, wait))
			.get()
			.uri(path)
			.responseSingle((response, content) -> content.asString().defaultIfEmpty("").map((body) -> {
				if (response.status().code() != 200) {
					throw AgentException.status(this.settings.address(), call, response.status().code(), body);
				}
				return new Indexed<>(consulIndex(response.responseHeaders().get("X-Consul-Index"), call),
						parse(body, call, shape, type));
			}))
			.onErrorMap((error) -> !(error instanceof AgentException),
					(error) -> AgentException.unreachable(this.settings.address(), call, error));
	}

	private Duration timeout(long index, Duration wait) {
		return (index > 0) ? wait.plus(wait.dividedBy(16)).plus(BLOCKING_MARGIN) : this.settings.requestTimeout();
	}

	private Mono<String> send(HttpMethod method, String call, String path, @Nullable Object body) {
		byte[] bytes = (body != null) ? JSON.writeValueAsBytes(body) : new byte[0];
		return this.http.responseTimeout(this.settings.requestTimeout())
			.request(method)
			.uri(path)
			.send(ByteBufFlux.fromString(Mono.just(new String(bytes, StandardCharsets.UTF_8))))
			.responseSingle((response, content) -> content.asString().defaultIfEmpty("").map((text) -> {
				if (response.status().code() != 200) {
					throw AgentException.status(this.settings.address(), call, response.status().code(), text);
				}
				return text;
			}))
			.onErrorMap((error) -> !(error instanceof AgentException),
					(error) -> AgentException.unreachable(this.settings.address(), call, error));
	}

	private long consulIndex(String header, String call) {
		if (header == null) {
			return 0;
		}
		try {
			return Long.parseUnsignedLong(header.trim());
		}
		catch (NumberFormatException ex) {
			throw AgentException.unreadable(this.settings.address(), call, ex);
		}
	}

	private <T> T parse(String body, String call, AnswerShape shape, TypeReference<T> type) {
		try {
			return AgentAnswers.read(body, shape, type);
		}
		catch (IllegalArgumentException ex) {
			throw AgentException.unreadable(this.settings.address(), call, ex);
		}
	}

	private static String blocking(String separator, long index, Duration wait) {
		if (index <= 0) {
			return "";
		}
		return separator + "index=" + Long.toUnsignedString(index) + "&wait=" + Math.max(1, wait.toMillis()) + "ms";
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
