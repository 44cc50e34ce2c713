package dev.connect.test;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;

/**
 * A certificate source whose snapshots a test publishes, as a rotation, a CA change or a new leaf would: every
 * listener hears of each one after it became current. Pair it with {@link SvidAuthority} for leaves and roots.
 */
public final class ChangingCertificateSource implements CertificateSource {

	private volatile CertificateSnapshot current;

	private final List<Consumer<CertificateSnapshot>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates the source.
	 * @param first the first snapshot
	 */
	public ChangingCertificateSource(CertificateSnapshot first) {
		this.current = Objects.requireNonNull(first, "'first' must not be null");
	}

	@Override
	public CertificateSnapshot current() {
		return this.current;
	}

	@Override
	public void onChange(Consumer<CertificateSnapshot> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Makes a snapshot current, then tells the listeners.
	 * @param snapshot the new snapshot
	 */
	public void publish(CertificateSnapshot snapshot) {
		this.current = Objects.requireNonNull(snapshot, "'snapshot' must not be null");
		this.listeners.forEach((listener) -> listener.accept(snapshot));
	}

}
