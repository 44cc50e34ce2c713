package dev.connect.agent.ca;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.connect.agent.index.ChangeIndex;
import dev.connect.api.Indexed;
import dev.connect.agent.index.Topic;
import dev.connect.api.CaRoot;
import dev.connect.api.CaRoots;
import org.jspecify.annotations.Nullable;

/**
 * The CA's state as Consul's API shows it, kept like the agent's other stores: the roots and configuration of the
 * {@link CertificateAuthority} (which signs, and knows nothing of Consul's indexes) with the modify indexes Consul
 * reports for them, and listeners told about every root change (the leaf cache re-issues on them). Every change of
 * roots bumps {@link Topic#CA_ROOTS}; every configuration change bumps {@link Topic#CA_CONFIG}. Changes go through
 * here, never to the authority directly, so that no change goes unindexed.
 */
public final class CaStore {

	private final CertificateAuthority authority;

	private final ChangeIndex changes;

	private final Map<String, long[]> rootIndexes = new ConcurrentHashMap<>();

	private final List<Runnable> rootListeners = new CopyOnWriteArrayList<>();

	private final long configCreateIndex;

	private volatile long configIndex;

	/**
	 * Publishes a CA: its roots and configuration get their first indexes.
	 * @param authority the CA
	 * @param changes the agent's change index
	 */
	public CaStore(CertificateAuthority authority, ChangeIndex changes) {
		this.authority = Objects.requireNonNull(authority, "'authority' must not be null");
		this.changes = Objects.requireNonNull(changes, "'changes' must not be null");
		this.configIndex = changes.bump(Topic.CA_CONFIG, "");
		this.configCreateIndex = this.configIndex;
		long index = changes.bump(Topic.CA_ROOTS, "");
		authority.roots().forEach((root) -> this.rootIndexes.put(root.id(), new long[] { index, index }));
	}

	/**
	 * Returns the CA.
	 * @return the certificate authority
	 */
	public CertificateAuthority authority() {
		return this.authority;
	}

	/**
	 * Adds a listener called after every change of the roots.
	 * @param listener the listener
	 */
	public void onRootsChanged(Runnable listener) {
		this.rootListeners.add(listener);
	}

	/**
	 * Returns the roots as the roots endpoint answers them, with their index.
	 * @return the indexed roots
	 */
	public Indexed<CaRoots> roots() {
		long index = this.changes.index(Topic.CA_ROOTS, "");
		List<RootCertificate> roots = this.authority.roots();
		RootCertificate active = roots.stream().filter(RootCertificate::active).findFirst().orElseThrow();
		List<CaRoot> wire = roots.stream().map(this::toWire).toList();
		return new Indexed<>(index, new CaRoots(active.id(), this.authority.trustDomain().name(), wire));
	}

	/**
	 * Returns the index of the last configuration change.
	 * @return the index
	 */
	public long configIndex() {
		return this.configIndex;
	}

	/**
	 * Returns the index at which the configuration was first set.
	 * @return the index
	 */
	public long configCreateIndex() {
		return this.configCreateIndex;
	}

	/**
	 * Rotates to a new root, with a generated key or the given one.
	 * @param key the new root's key, or {@code null} to generate one of the configured type
	 * @return the new active root
	 */
	public RootCertificate rotate(@Nullable KeyPair key) {
		RootCertificate root;
		synchronized (this) {
			root = (key != null) ? this.authority.rotate(key) : this.authority.rotate();
			recordRootChange();
		}
		this.rootListeners.forEach(Runnable::run);
		return root;
	}

	/**
	 * Applies a configuration; a new key type or size rotates the root.
	 * @param config the configuration
	 * @return whether the root was rotated
	 */
	public boolean updateConfig(CaConfig config) {
		return reconfigure(config, (KeyPair) null);
	}

	/**
	 * Applies a configuration and, when a key is given, rotates to a root made from it.
	 * @param config the configuration
	 * @param key the new root key, or {@code null}
	 * @return whether the root was rotated
	 */
	public boolean reconfigure(CaConfig config, @Nullable KeyPair key) {
		return apply(() -> this.authority.reconfigure(config, key));
	}

	/**
	 * Applies a configuration with its provider ({@link CertificateAuthority#reconfigure(CaConfig, ProviderConfig)}).
	 * @param config the configuration
	 * @param provider the provider and its settings
	 * @return whether the root was rotated
	 * @throws IllegalArgumentException with the reason the configuration is refused; nothing changes
	 */
	public boolean reconfigure(CaConfig config, ProviderConfig provider) {
		return apply(() -> this.authority.reconfigure(config, provider));
	}

	private boolean apply(java.util.function.BooleanSupplier change) {
		boolean rotated;
		synchronized (this) {
			rotated = change.getAsBoolean();
			this.configIndex = this.changes.bump(Topic.CA_CONFIG, "");
			if (rotated) {
				recordRootChange();
			}
		}
		if (rotated) {
			this.rootListeners.forEach(Runnable::run);
		}
		return rotated;
	}

	/**
	 * Drops roots whose leaves have all expired, and renews the active provider's intermediate when half of its
	 * lifetime has passed ({@link CertificateAuthority#renewIntermediate()}); the agent calls this periodically.
	 * @return the ids of the dropped roots
	 */
	public List<String> pruneRoots() {
		if (renewIntermediate()) {
			this.rootListeners.forEach(Runnable::run);
		}
		List<String> pruned;
		synchronized (this) {
			pruned = this.authority.pruneRoots();
			if (!pruned.isEmpty()) {
				pruned.forEach(this.rootIndexes::remove);
				this.changes.bump(Topic.CA_ROOTS, "");
			}
		}
		return pruned;
	}

	private boolean renewIntermediate() {
		synchronized (this) {
			boolean renewed = this.authority.renewIntermediate();
			if (renewed) {
				recordRootChange();
			}
			return renewed;
		}
	}

	private void recordRootChange() {
		long index = this.changes.bump(Topic.CA_ROOTS, "");
		for (RootCertificate root : this.authority.roots()) {
			long[] indexes = this.rootIndexes.computeIfAbsent(root.id(), (id) -> new long[] { index, index });
			if (!root.active() && indexes[1] == indexes[0] && root.rotatedOutAt() != null) {
				indexes[1] = index;
			}
		}
	}

	private CaRoot toWire(RootCertificate root) {
		long[] indexes = this.rootIndexes.getOrDefault(root.id(), new long[] { 1, 1 });
		List<String> intermediates = root.intermediates().isEmpty() ? null : root.intermediatePems();
		return new CaRoot(root.id(), root.name(), root.serialNumber(), root.signingKeyId(),
				this.authority.clusterId().toString(), root.notBefore(), root.notAfter(), root.rootCertPem(),
				intermediates, root.active(), root.privateKeyType(), root.privateKeyBits(), indexes[0], indexes[1]);
	}

}
