package dev.connect.tls;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLEngine;

import io.netty.handler.ssl.SslHandler;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.ConnectionProvider.ConnectionMetadata;

/**
 * The connection pool of mesh clients. A pooled connection is closed instead of being reused when any of these
 * holds:
 * <ol>
 * <li>its server's address is no longer expected in the {@link UpstreamAddressBook} (the instance left the healthy
 * set or was deregistered);</li>
 * <li>it was opened before the latest change of this service's leaf or of the trusted roots, so the next call
 * handshakes with the new material (a leaf changes every couple of days, so this costs little);</li>
 * <li>it has lived longer than the maximum lifetime, which bounds how long any connection lives;</li>
 * <li>it has been idle longer than the maximum idle time;</li>
 * <li>it carries no TLS session to check (fail closed).</li>
 * </ol>
 * The rules are checked when a connection is taken from the pool, when it is given back, and every second for
 * idle connections. A connection serving a request is never cut: it is closed when its request ends.
 */
public final class MeshConnectionPool {

	private static final Duration BACKGROUND_EVICTION = Duration.ofSeconds(1);

	private MeshConnectionPool() {
	}

	/**
	 * Creates the pool.
	 * @param name the pool's name (metrics, logs)
	 * @param source the service's certificate source, watched for new leaves and roots
	 * @param upstreams the addresses mesh calls may go to
	 * @param maxLifeTime the maximum lifetime of a connection
	 * @param maxIdleTime the maximum idle time of a connection
	 * @return the pool; dispose it with the client
	 */
	public static ConnectionProvider create(String name, CertificateSource source, UpstreamAddressBook upstreams,
			Duration maxLifeTime, Duration maxIdleTime) {
		Eviction eviction = new Eviction(upstreams, maxLifeTime, maxIdleTime, System::currentTimeMillis);
		eviction.watch(source);
		return ConnectionProvider.builder(name)
			.evictionPredicate(eviction)
			.evictInBackground(BACKGROUND_EVICTION)
			.build();
	}

	/**
	 * The rules above, as the pool's eviction predicate. Reactor Netty ignores its own maximum idle and life times
	 * when a predicate is set, so rules 3 and 4 live here too.
	 */
	static final class Eviction implements BiPredicate<Connection, ConnectionMetadata> {

		private final UpstreamAddressBook upstreams;

		private final long maxLifeMillis;

		private final long maxIdleMillis;

		private final LongSupplier clock;

		private final AtomicLong materialChangedAt = new AtomicLong(Long.MIN_VALUE);

		Eviction(UpstreamAddressBook upstreams, Duration maxLifeTime, Duration maxIdleTime, LongSupplier clock) {
			this.upstreams = Objects.requireNonNull(upstreams, "'upstreams' must not be null");
			this.maxLifeMillis = positive(maxLifeTime, "maxLifeTime").toMillis();
			this.maxIdleMillis = positive(maxIdleTime, "maxIdleTime").toMillis();
			this.clock = clock;
		}

		private static Duration positive(Duration value, String name) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException("'" + name + "' must be a positive duration, but was " + value);
			}
			return value;
		}

		void watch(CertificateSource source) {
			source.onChange(this::snapshot);
		}

		/** A source publishes a snapshot only when the leaf or the roots changed. */
		void snapshot(CertificateSnapshot snapshot) {
			this.materialChangedAt.set(this.clock.getAsLong());
		}

		@Override
		public boolean test(Connection connection, ConnectionMetadata metadata) {
			long lifeTime = metadata.lifeTime();
			if (lifeTime >= this.maxLifeMillis || metadata.idleTime() >= this.maxIdleMillis) {
				return true;
			}
			// Opened at (now - lifeTime); before the change means its handshake used the previous leaf or roots.
			if (this.clock.getAsLong() - lifeTime <= this.materialChangedAt.get()) {
				return true;
			}
			SslHandler ssl = connection.channel().pipeline().get(SslHandler.class);
			if (ssl == null) {
				return true;
			}
			SSLEngine engine = ssl.engine();
			// Same key as the handshake's identity check: the host and port the client connected to.
			return engine.getPeerHost() == null || this.upstreams.expectedAt(engine.getPeerHost(), engine.getPeerPort()) == null;
		}

	}

}
