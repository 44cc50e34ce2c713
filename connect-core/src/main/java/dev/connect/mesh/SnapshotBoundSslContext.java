package dev.connect.mesh;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;

/**
 * A TLS context, client or server, whose TLS sessions never outlive the certificate snapshot they were made with.
 * <p>
 * A TLS client caches sessions per context and offers them on its next connection to the same address, and a server
 * accepts them while its session cache or ticket keys hold them; a resumed session skips the certificates entirely,
 * so the server would go on seeing the caller's old leaf (even once it has expired) and neither side would check the
 * other against new roots. This context hands every new connection to a delegate built for the source's current
 * snapshot and builds a fresh delegate, with an empty session cache and new ticket keys, as soon as the snapshot
 * changes (a new leaf, new roots). Connections already open keep their delegate.
 * <p>
 * Within one snapshot a resumed session still carries the peer's leaf from its first handshake: whoever reads the
 * peer's certificate from a session must check that it has not expired since.
 */
public final class SnapshotBoundSslContext extends SslContext {

	/** The most session caches a client may spread its connections over. */
	public static final int MAX_SESSION_CACHES = 64;

	private final CertificateSource source;

	private final Supplier<SslContext> factory;

	private final boolean client;

	private final int caches;

	private volatile Bound bound;

	private SnapshotBoundSslContext(CertificateSource source, Supplier<SslContext> factory, int caches) {
		this.source = source;
		this.factory = factory;
		this.caches = caches;
		this.bound = new Bound(source.current(), factory.get(), caches);
		this.client = this.bound.first().isClient();
		if (!this.client && caches != 1) {
			throw new IllegalArgumentException("A server has one session cache; " + caches + " were asked for");
		}
	}

	/**
	 * Creates the context, building its first delegate now.
	 * @param source the certificate source whose snapshots bound the sessions
	 * @param factory builds a delegate context (its key and trust managers read the source themselves); every
	 * delegate it builds must be a client, or every one a server
	 * @return the context
	 */
	public static SnapshotBoundSslContext of(CertificateSource source, Supplier<SslContext> factory) {
		return new SnapshotBoundSslContext(source, factory, 1);
	}

	/**
	 * Creates a client context whose new connections are spread, round-robin, over several delegates per snapshot,
	 * each with its own session cache. A TLS client keeps one session per peer address and, in TLS 1.3, uses it once:
	 * with one cache, connections opened at the same time to one peer all but one make a full handshake; with
	 * {@code caches} of them, up to that many resume at once. The delegates of a snapshot are built on their first
	 * connection.
	 * @param source the certificate source whose snapshots bound the sessions
	 * @param factory builds a client delegate context
	 * @param caches how many session caches, 1 to {@value #MAX_SESSION_CACHES}
	 * @return the context
	 * @throws IllegalArgumentException when {@code caches} is out of range or the factory builds a server
	 */
	public static SnapshotBoundSslContext ofClient(CertificateSource source, Supplier<SslContext> factory,
			int caches) {
		if (caches < 1 || caches > MAX_SESSION_CACHES) {
			throw new IllegalArgumentException(
					"'caches' " + caches + " must be between 1 and " + MAX_SESSION_CACHES);
		}
		return new SnapshotBoundSslContext(source, factory, caches);
	}

	/**
	 * Returns the (first) delegate for the current snapshot, building it on the first connection after a change.
	 * @return the delegate
	 */
	public SslContext delegate() {
		return current().first();
	}

	/** The delegate the next connection goes to. */
	private SslContext next() {
		Bound current = current();
		if (this.caches == 1) {
			return current.first();
		}
		int index = Math.floorMod(current.next.getAndIncrement(), this.caches);
		SslContext context = current.contexts.get(index);
		if (context == null) {
			SslContext built = this.factory.get();
			context = current.contexts.compareAndExchange(index, null, built);
			if (context == null) {
				context = built;
			}
		}
		return context;
	}

	private Bound current() {
		CertificateSnapshot snapshot = this.source.current();
		Bound current = this.bound;
		if (current.snapshot == snapshot) {
			return current;
		}
		synchronized (this) {
			current = this.bound;
			if (current.snapshot != snapshot) {
				current = new Bound(snapshot, this.factory.get(), this.caches);
				this.bound = current;
			}
			return current;
		}
	}

	@Override
	public boolean isClient() {
		return this.client;
	}

	@Override
	public List<String> cipherSuites() {
		return delegate().cipherSuites();
	}

	@Override
	public long sessionCacheSize() {
		return delegate().sessionCacheSize();
	}

	@Override
	public long sessionTimeout() {
		return delegate().sessionTimeout();
	}

	@Override
	@SuppressWarnings("deprecation")
	public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
		return delegate().applicationProtocolNegotiator();
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc) {
		return next().newEngine(alloc);
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
		return next().newEngine(alloc, peerHost, peerPort);
	}

	@Override
	public SSLSessionContext sessionContext() {
		return delegate().sessionContext();
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
		requireNoStartTls(startTls);
		return next().newHandler(alloc);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls, Executor executor) {
		requireNoStartTls(startTls);
		return next().newHandler(alloc, executor);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls) {
		requireNoStartTls(startTls);
		return next().newHandler(alloc, peerHost, peerPort);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls,
			Executor executor) {
		requireNoStartTls(startTls);
		return next().newHandler(alloc, peerHost, peerPort, executor);
	}

	private static void requireNoStartTls(boolean startTls) {
		if (startTls) {
			throw new UnsupportedOperationException("Mesh connections start with TLS; STARTTLS is not supported");
		}
	}

	/** The delegates of one snapshot: the first built with it, the others on their first connection. */
	private record Bound(@Nullable CertificateSnapshot snapshot, AtomicReferenceArray<SslContext> contexts,
			AtomicInteger next) {

		Bound(@Nullable CertificateSnapshot snapshot, SslContext first, int caches) {
			this(snapshot, new AtomicReferenceArray<>(caches), new AtomicInteger());
			this.contexts.set(0, first);
		}

		SslContext first() {
			return this.contexts.get(0);
		}

	}

}
