package dev.connect.tls;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.connect.identity.TrustDomain;
import org.jspecify.annotations.Nullable;

/**
 * Live TLS material that changes over time. Thread-safe: {@link #current()} returns the latest snapshot, which is
 * immutable.
 */
public interface CertificateSource {

	/**
	 * Returns the latest snapshot.
	 * @return the snapshot, or {@code null} before the first one
	 */
	@Nullable CertificateSnapshot current();

	/**
	 * Adds a listener told about every new snapshot after it becomes current.
	 * @param listener the listener
	 */
	void onChange(Consumer<CertificateSnapshot> listener);

	/**
	 * Adds a listener told when a new snapshot is of another trust domain than the one before it (a new cluster, or
	 * a dev agent restarted without its data): what was decided or expected for the old mesh no longer holds.
	 * @param listener the listener, given the old and the new trust domain
	 */
	default void onTrustDomainChange(BiConsumer<TrustDomain, TrustDomain> listener) {
		CertificateSnapshot first = current();
		AtomicReference<@Nullable TrustDomain> last = new AtomicReference<>((first != null) ? first.trustDomain() : null);
		onChange((snapshot) -> {
			TrustDomain previous = last.getAndSet(snapshot.trustDomain());
			if (previous != null && !previous.equals(snapshot.trustDomain())) {
				listener.accept(previous, snapshot.trustDomain());
			}
		});
	}

	/**
	 * Returns a source that always answers the same snapshot.
	 * @param snapshot the snapshot
	 * @return the source
	 */
	static CertificateSource of(CertificateSnapshot snapshot) {
		return new CertificateSource() {

			@Override
			public CertificateSnapshot current() {
				return snapshot;
			}

			@Override
			public void onChange(Consumer<CertificateSnapshot> listener) {
			}

		};
	}

}
