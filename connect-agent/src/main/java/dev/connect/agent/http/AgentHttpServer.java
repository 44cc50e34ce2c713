package dev.connect.agent.http;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

import dev.connect.agent.ca.CaStore;
import dev.connect.agent.catalog.Catalog;
import dev.connect.agent.config.ConfigEntryStore;
import dev.connect.agent.index.BlockingQuery;
import dev.connect.agent.index.ChangeIndex;
import dev.connect.agent.intentions.IntentionStore;
import dev.connect.agent.leafcert.LeafCertificates;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The agent's HTTP API: Consul's paths, JSON, headers, status codes and messages. Requests never block an event
 * loop thread: blocking queries wait on signals and timers, and CA work runs on a bounded elastic scheduler.
 * Cross-cutting rules:
 * <ol>
 * <li>Every answer carries {@code X-Consul-Default-ACL-Policy}: {@code deny} with a management token (requests
 * without it are refused, see {@link AclTokens}), else the default intention policy.</li>
 * <li>A namespace or partition in the query or headers is 400, as in Consul CE (see {@link EnterpriseScope}).</li>
 * <li>An unknown path is 404 {@value Router#NOT_FOUND}; a known path with another method is 405 with
 * {@code Allow}; {@code OPTIONS} is 200 with {@code Allow}.</li>
 * <li>A body over 512 KiB is 413 and is not read further.</li>
 * <li>A read for another datacenter ({@code ?dc=}) is 500 {@value Datacenter#NO_PATH} (see {@link Datacenter}).</li>
 * <li>Expected errors are answered as plain text with Consul's status and message; anything else is 500 with its
 * message.</li>
 * </ol>
 */
public final class AgentHttpServer {

	/** Largest request body the agent reads. */
	public static final int MAX_BODY_BYTES = 512 * 1024;

	static final String BODY_TOO_LARGE = "http: request body too large";

	private static final Logger logger = System.getLogger(AgentHttpServer.class.getName());

	private final Router router = new Router();

	private final String defaultAclPolicy;

	private final AclTokens acl;

	/**
	 * Creates the API over the agent's state.
	 * @param ca the CA and its indexes
	 * @param leaves the leaf cache
	 * @param intentions the intentions
	 * @param catalog the services and checks
	 * @param entries the config entries
	 * @param changes the agent's change index
	 * @param queries the blocking-query loop
	 * @param aclManagementToken the token every request must present, or {@code null} for no ACLs; with a token
	 * the default ACL policy is {@code deny}, without one it is the default intention policy
	 */
	public AgentHttpServer(CaStore ca, LeafCertificates leaves, IntentionStore intentions, Catalog catalog,
			ConfigEntryStore entries, ChangeIndex changes, BlockingQuery queries, @Nullable String aclManagementToken) {
		this.acl = new AclTokens(aclManagementToken);
		// What the agent enforces when nothing else decides: ACLs deny; without them, the intention default.
		this.defaultAclPolicy = this.acl.enabled() ? "deny" : intentions.defaultPolicy();
		Datacenter datacenter = new Datacenter(catalog.node().datacenter());
		new ConnectCaHandler(ca, leaves, queries, datacenter).register(this.router);
		new IntentionsHandler(intentions, queries, datacenter).register(this.router);
		new AuthorizeHandler(intentions).register(this.router);
		new AgentServiceHandler(catalog, changes, datacenter).register(this.router);
		new HealthHandler(catalog, queries, datacenter).register(this.router);
		new ConfigHandler(entries, queries, datacenter).register(this.router);
		new HealthChecksHandler(catalog, queries, datacenter).register(this.router);
		new NodesHandler(catalog, queries, datacenter).register(this.router);
		new CatalogWritesHandler(catalog, datacenter).register(this.router);
	}

	/**
	 * Binds the API on the agent's own event loops, so that an application sharing the JVM (an embedded agent, a
	 * test) can dispose Reactor Netty's global resources without stopping the agent.
	 * @param host the address to bind, for example {@code 127.0.0.1}
	 * @param port the port, 0 for any free port
	 * @param loops the agent's event loops
	 * @return the bound server
	 */
	public DisposableServer bind(String host, int port, LoopResources loops) {
		return HttpServer.create().runOn(loops).host(host).port(port).handle(this::handle).bindNow();
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		return dispatch(request, uri)
			.onErrorResume(HttpError.class, (error) -> Mono.just(Reply.text(error.status(), error.reason())))
			.onErrorResume((error) -> {
				logger.log(Level.WARNING, () -> "Request " + request.method() + " " + uri.path() + " failed", error);
				return Mono.just(Reply.text(500, HttpError.reasonOf(error)));
			})
			.flatMap((reply) -> write(reply, response));
	}

	private Mono<Reply> dispatch(HttpServerRequest request, QueryStringDecoder uri) {
		Router.Match match = this.router.match(uri.path());
		if (match == null) {
			return Mono.just(Reply.text(404, Router.NOT_FOUND));
		}
		HttpMethod method = request.method();
		if (method.equals(HttpMethod.OPTIONS)) {
			return Mono.just(Reply.empty().header("Allow", match.route().allow()));
		}
		if (!match.route().methods().contains(method)) {
			return Mono.just(Reply.text(405, "method " + method.name() + " not allowed")
				.header("Allow", match.route().allow()));
		}
		Map<String, List<String>> query = uri.parameters();
		return body(request).flatMap((body) -> {
			Exchange exchange = new Exchange(method, uri.path(), match.remainder(), query, request.requestHeaders(),
					body);
			EnterpriseScope.check(uri.path(), exchange);
			this.acl.check(uri.path(), exchange);
			return match.route().handler().apply(exchange);
		});
	}

	private static Mono<byte[]> body(HttpServerRequest request) {
		String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
		if (length != null && parseLength(length) > MAX_BODY_BYTES) {
			return Mono.error(new HttpError(413, BODY_TOO_LARGE));
		}
		return request.receive()
			.reduce(new java.io.ByteArrayOutputStream(), (out, chunk) -> append(out, chunk))
			.map(java.io.ByteArrayOutputStream::toByteArray)
			.defaultIfEmpty(new byte[0]);
	}

	private static java.io.ByteArrayOutputStream append(java.io.ByteArrayOutputStream out, ByteBuf chunk) {
		if (out.size() + chunk.readableBytes() > MAX_BODY_BYTES) {
			throw new HttpError(413, BODY_TOO_LARGE);
		}
		byte[] bytes = new byte[chunk.readableBytes()];
		chunk.readBytes(bytes);
		out.writeBytes(bytes);
		return out;
	}

	private static long parseLength(String length) {
		try {
			return Long.parseLong(length.trim());
		}
		catch (NumberFormatException ex) {
			throw HttpError.badRequest("Invalid Content-Length '" + length + "'");
		}
	}

	private Mono<Void> write(Reply reply, HttpServerResponse response) {
		response.status(reply.status());
		reply.headers().forEach(response::header);
		response.header("X-Consul-Default-ACL-Policy", this.defaultAclPolicy);
		return response.sendByteArray(Mono.just(reply.body())).then();
	}

}
