package dev.connect.mesh;

import java.util.List;
import java.util.concurrent.Executor;
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

	private final CertificateSource source;

	private final Supplier<SslContext> factory;

	private final boolean client;

	private volatile Bound bound;

	private SnapshotBoundSslContext(CertificateSource source, Supplier<SslContext> factory) {
		this.source = source;
		this.factory = factory;
		this.bound = new Bound(source.current(), factory.get());
		this.client = this.bound.context.isClient();
	}

	/**
	 * Creates the context, building its first delegate now.
	 * @param source the certificate source whose snapshots bound the sessions
	 * @param factory builds a delegate context (its key and trust managers read the source themselves); every
	 * delegate it builds must be a client, or every one a server
	 * @return the context
	 */
	public static SnapshotBoundSslContext of(CertificateSource source, Supplier<SslContext> factory) {
		return new SnapshotBoundSslContext(source, factory);
	}

	/**
	 * Returns the delegate for the current snapshot, building it on the first connection after a change.
	 * @return the delegate
	 */
	public SslContext delegate() {
		CertificateSnapshot snapshot = this.source.current();
		Bound current = this.bound;
		if (current.snapshot == snapshot) {
			return current.context;
		}
		synchronized (this) {
			current = this.bound;
			if (current.snapshot != snapshot) {
				current = new Bound(snapshot, this.factory.get());
				this.bound = current;
			}
			return current.context;
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
		return delegate().newEngine(alloc);
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
		return delegate().newEngine(alloc, peerHost, peerPort);
	}

	@Override
	public SSLSessionContext sessionContext() {
		return delegate().sessionContext();
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
		requireNoStartTls(startTls);
		return delegate().newHandler(alloc);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls, Executor executor) {
		requireNoStartTls(startTls);
		return delegate().newHandler(alloc, executor);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls) {
		requireNoStartTls(startTls);
		return delegate().newHandler(alloc, peerHost, peerPort);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls,
			Executor executor) {
		requireNoStartTls(startTls);
		return delegate().newHandler(alloc, peerHost, peerPort, executor);
	}

	private static void requireNoStartTls(boolean startTls) {
		if (startTls) {
			throw new UnsupportedOperationException("Mesh connections start with TLS; STARTTLS is not supported");
		}
	}

	private record Bound(@Nullable CertificateSnapshot snapshot, SslContext context) {
	}

}
