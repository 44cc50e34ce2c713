package dev.connect.tls;

import java.util.function.Consumer;

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
