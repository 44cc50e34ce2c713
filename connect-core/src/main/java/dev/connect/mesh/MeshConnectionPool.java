package dev.connect.mesh;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLEngine;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;

import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.ConnectionProvider.ConnectionMetadata;

/**
 * The connection pool of mesh clients. A pooled connection is closed instead of being reused when any of these
 * holds:
 * <ol>
 * <li>its server is not the one service now expected at its address in the {@link UpstreamAddressBook}: the
 * instance left the healthy set or was deregistered, or another service (or more than one) is expected there now,
 * so the identity its handshake proved is no longer the one a call to that address must meet;</li>
 * <li>it was opened before the latest change of this service's leaf or of the trusted roots, so that calls
 * handshake with the new material. When everything the connection's handshake relied on is still trusted (a
 * renewed leaf while the previous one is still valid, a root added while every previous root stays), the
 * connections are retired one by one at moments spread over the drain time after the change, so that callers do
 * not all handshake in the same instant. When a root is no longer trusted, the trust domain changed or the
 * previous leaf has expired, they are all retired at once;</li>
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
	 * @param drainTime the time over which connections opened before a change that keeps them trusted are
	 * retired; zero retires them at once
	 * @return the pool; dispose it with the client
	 */
	public static ConnectionProvider create(String name, CertificateSource source, UpstreamAddressBook upstreams,
			Duration maxLifeTime, Duration maxIdleTime, Duration drainTime) {
		Eviction eviction = new Eviction(upstreams, maxLifeTime, maxIdleTime, drainTime, System::currentTimeMillis);
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

		private final long drainMillis;

		private final LongSupplier clock;

		private @Nullable CertificateSnapshot material;

		private volatile Changes changes = Changes.NONE;

		Eviction(UpstreamAddressBook upstreams, Duration maxLifeTime, Duration maxIdleTime, Duration drainTime,
				LongSupplier clock) {
			this.upstreams = Objects.requireNonNull(upstreams, "'upstreams' must not be null");
			this.maxLifeMillis = positive(maxLifeTime, "maxLifeTime").toMillis();
			this.maxIdleMillis = positive(maxIdleTime, "maxIdleTime").toMillis();
			if (drainTime == null || drainTime.isNegative()) {
				throw new IllegalArgumentException("'drainTime' must be zero or a positive duration, but was " + drainTime);
			}
			this.drainMillis = drainTime.toMillis();
			this.clock = clock;
		}

		private static Duration positive(Duration value, String name) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException("'" + name + "' must be a positive duration, but was " + value);
			}
			return value;
		}

		void watch(CertificateSource source) {
			synchronized (this) {
				this.material = source.current();
			}
			source.onChange(this::snapshot);
		}

		/** A source publishes a snapshot only when the leaf or the roots changed. */
		synchronized void snapshot(CertificateSnapshot snapshot) {
			long now = this.clock.getAsLong();
			Changes current = this.changes;
			this.changes = stillTrusted(this.material, snapshot, now) ? new Changes(current.untrustedAt(), now)
					: new Changes(now, current.renewedAt());
			this.material = snapshot;
		}

		/**
		 * Whether connections made with the previous material stay trustworthy under the next: same trust domain,
		 * every previous root still trusted, and the previous leaf not yet expired.
		 */
		private static boolean stillTrusted(@Nullable CertificateSnapshot previous, CertificateSnapshot next, long now) {
			return previous != null && previous.trustDomain().equals(next.trustDomain())
					&& next.roots().containsAll(previous.roots()) && previous.leaf().getNotAfter().getTime() > now;
		}

		@Override
		public boolean test(Connection connection, ConnectionMetadata metadata) {
			long lifeTime = metadata.lifeTime();
			if (lifeTime >= this.maxLifeMillis || metadata.idleTime() >= this.maxIdleMillis) {
				return true;
			}
			// Opened at (now - lifeTime); before a change means its handshake used the previous leaf or roots.
			long now = this.clock.getAsLong();
			long openedAt = now - lifeTime;
			Changes changes = this.changes;
			if (openedAt <= changes.untrustedAt()
					|| (openedAt <= changes.renewedAt() && now >= changes.renewedAt() + drainOffset(connection))) {
				return true;
			}
			SslHandler ssl = connection.channel().pipeline().get(SslHandler.class);
			if (ssl == null) {
				return true;
			}
			SSLEngine engine = ssl.engine();
			// Same key as the handshake's identity check: the host and port the client connected to.
			UpstreamIdentity expected = (engine.getPeerHost() != null)
					? this.upstreams.expectedAt(engine.getPeerHost(), engine.getPeerPort()) : null;
			ProvenPeer peer = ProvenPeer.of(connection.channel());
			return expected == null || peer == null || !expected.isProvenBy(peer.identity())
					|| peer.invalidAt(Instant.ofEpochMilli(now)) != null;
		}

		/** A connection's own moment within the drain time: fixed per connection, spread by its random id. */
		private long drainOffset(Connection connection) {
			return (this.drainMillis == 0) ? 0 : (connection.channel().id().hashCode() & Integer.MAX_VALUE) % this.drainMillis;
		}

	}

	/**
	 * The latest changes of material, as clock millis.
	 * @param untrustedAt the latest change after which connections opened before it are closed at once
	 * @param renewedAt the latest change after which connections opened before it are drained
	 */
	private record Changes(long untrustedAt, long renewedAt) {

		static final Changes NONE = new Changes(Long.MIN_VALUE, Long.MIN_VALUE);

	}

}
