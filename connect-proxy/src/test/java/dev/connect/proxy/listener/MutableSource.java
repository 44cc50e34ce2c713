package dev.connect.proxy.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;

/** A certificate source whose snapshot a test replaces, as a rotation does. */
final class MutableSource implements CertificateSource {

	private final AtomicReference<CertificateSnapshot> current;

	private final List<Consumer<CertificateSnapshot>> listeners = new CopyOnWriteArrayList<>();

	MutableSource(CertificateSnapshot first) {
		this.current = new AtomicReference<>(first);
	}

	@Override
	public CertificateSnapshot current() {
		return this.current.get();
	}

	@Override
	public void onChange(Consumer<CertificateSnapshot> listener) {
		this.listeners.add(listener);
	}

	void publish(CertificateSnapshot snapshot) {
		this.current.set(snapshot);
		this.listeners.forEach((listener) -> listener.accept(snapshot));
	}

}
