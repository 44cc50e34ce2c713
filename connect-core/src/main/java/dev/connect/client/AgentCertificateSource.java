package dev.connect.client;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.connect.api.CaRoot;
import dev.connect.api.CaRoots;
import dev.connect.api.Indexed;
import dev.connect.api.LeafCert;
import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import dev.connect.identity.TrustDomain;
import dev.connect.pki.InvalidSvidException;
import dev.connect.pki.PeerRole;
import dev.connect.pki.Pem;
import dev.connect.pki.SvidValidator;
import dev.connect.tls.CertificateSnapshot;
import dev.connect.tls.CertificateSource;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A {@link CertificateSource} fed by two blocking watches on the agent, {@code /v1/agent/connect/ca/roots} and
 * {@code /v1/agent/connect/ca/leaf/<service>}. Whenever either answers, the latest roots and leaf are checked
 * together before they are published as one snapshot:
 * <ol>
 * <li>the leaf chain and key parse, and the key belongs to the leaf;</li>
 * <li>the leaf's SPIFFE ID is this service's, in the roots' trust domain;</li>
 * <li>the chain validates against the roots, for both roles, at the clock's time.</li>
 * </ol>
 * Each answer is first checked on its own: every root is a CA certificate allowed to sign, self-issued and within
 * its validity, and the leaf's key is the leaf's and its ID this service's. A refused answer fails the watched
 * call, so it never becomes the latest one seen. An update that fails a check is refused and logged once; the
 * previous snapshot stays in force (fail static).
 */
public final class AgentCertificateSource implements CertificateSource, Disposable {

	private static final Logger logger = System.getLogger(AgentCertificateSource.class.getName());

	private static final Duration WAIT = Duration.ofMinutes(5);

	private final String service;

	private final Clock clock;

	private final AtomicReference<@Nullable CertificateSnapshot> current = new AtomicReference<>();

	private final AtomicLong generations = new AtomicLong();

	private final List<Consumer<CertificateSnapshot>> listeners = new CopyOnWriteArrayList<>();

	private final List<java.util.function.BiConsumer<String, Throwable>> errorListeners = new CopyOnWriteArrayList<>();

	private final Sinks.One<CertificateSnapshot> first = Sinks.one();

	private final Disposable.Composite watches = Disposables.composite();

	private volatile @Nullable TrustBundle roots;

	private volatile @Nullable CheckedLeaf leaf;

	private volatile @Nullable String lastProblem;

	private volatile java.time.@Nullable Instant lastRefresh;

	private AgentCertificateSource(String service, Clock clock) {
		this.service = service;
		this.clock = clock;
	}

	/**
	 * Starts watching the agent for a service's material.
	 * @param client the agent client
	 * @param service the service name
	 * @param clock the clock that decides validity
	 * @return the running source; {@link #ready(Duration)} waits for the first snapshot
	 */
	public static AgentCertificateSource start(AgentClient client, String service, Clock clock) {
		Objects.requireNonNull(service, "'service' must not be null");
		AgentCertificateSource source = new AgentCertificateSource(service, clock);
		// Each answer is checked inside the watched call, so a refused answer fails the call: the watch keeps its
		// last index and takes the next valid answer, even one at the index the refused answer carried.
		source.watches.add(client
			.watch("CA roots", WAIT, (index, wait) -> client.roots(index, wait).map(source::checkedRoots),
					(error) -> source.watchFailed("/v1/agent/connect/ca/roots", error))
			.subscribe((answer) -> {
				source.roots = answer.value();
				source.update();
			}));
		source.watches.add(client
			.watch("leaf of " + service, WAIT,
					(index, wait) -> client.leaf(service, index, wait).map(source::checkedLeaf),
					(error) -> source.watchFailed("/v1/agent/connect/ca/leaf", error))
			.subscribe((answer) -> {
				source.leaf = answer.value();
				source.update();
			}));
		return source;
	}

	@Override
	public @Nullable CertificateSnapshot current() {
		return this.current.get();
	}

	@Override
	public void onChange(Consumer<CertificateSnapshot> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Waits for the first valid snapshot.
	 * @param timeout how long to wait
	 * @return the first snapshot, or an error after the timeout
	 */
	public Mono<CertificateSnapshot> ready(Duration timeout) {
		return this.first.asMono().timeout(timeout);
	}

	/**
	 * Returns why the last update was refused, or, before any material arrived, why the last call to the agent
	 * failed.
	 * @return the reason, or {@code null} when the last update was published
	 */
	public @Nullable String lastProblem() {
		return this.lastProblem;
	}

	/**
	 * Adds a listener told about every failed call of the watches, with the endpoint that failed
	 * ({@code /v1/agent/connect/ca/roots} or {@code /v1/agent/connect/ca/leaf}).
	 * @param listener the listener
	 */
	public void onWatchError(java.util.function.BiConsumer<String, Throwable> listener) {
		this.errorListeners.add(listener);
	}

	/**
	 * Returns when the agent last sent material that passed every check, whether or not it was new.
	 * @return the instant, or {@code null} before the first
	 */
	public java.time.@Nullable Instant lastRefresh() {
		return this.lastRefresh;
	}

	private void watchFailed(String endpoint, Throwable error) {
		if (this.current.get() == null || error instanceof RefusedAnswerException) {
			this.lastProblem = error.getMessage();
		}
		this.errorListeners.forEach((listener) -> listener.accept(endpoint, error));
	}

	/**
	 * Checks a roots answer on its own: every root parses, is a CA allowed to sign certificates, is self-issued
	 * and is within its validity; the trust domain is valid. Anything else refuses the whole answer.
	 */
	private Indexed<TrustBundle> checkedRoots(Indexed<CaRoots> answer) {
		CaRoots caRoots = answer.value();
		try {
			List<X509Certificate> trusted = new ArrayList<>();
			for (CaRoot root : caRoots.roots()) {
				List<X509Certificate> certificates = Pem.parseCertificates(root.rootCert());
				if (certificates.size() != 1) {
					throw new IllegalArgumentException("root '" + root.id() + "' has " + certificates.size()
							+ " certificates in RootCert; exactly one is allowed");
				}
				SvidValidator.checkValidAt(certificates.get(0), this.clock.instant());
				trusted.add(certificates.get(0));
			}
			if (trusted.isEmpty()) {
				throw new IllegalArgumentException("the agent sent no CA roots");
			}
			TrustDomain trustDomain = TrustDomain.parse(caRoots.trustDomain());
			return new Indexed<>(answer.index(),
					new TrustBundle(trusted, trustDomain, SvidValidator.of(trusted, this.clock)));
		}
		catch (IllegalArgumentException | InvalidSvidException ex) {
			throw refused("CA roots", answer.index(), ex);
		}
	}

	/** Checks a leaf answer on its own: the chain and key parse, the key is the leaf's, the leaf is ours. */
	private Indexed<CheckedLeaf> checkedLeaf(Indexed<LeafCert> answer) {
		LeafCert leafCert = answer.value();
		try {
			List<X509Certificate> chain = Pem.parseCertificates(leafCert.certPem());
			KeyPair key = Pem.parseKeyPair(leafCert.privateKeyPem());
			if (chain.isEmpty() || !key.getPublic().equals(chain.get(0).getPublicKey())) {
				throw new IllegalArgumentException("the private key does not belong to the leaf certificate");
			}
			ServiceIdentity identity = ServiceIdentity.from(SvidValidator.spiffeIdOf(chain.get(0)));
			if (!identity.service().equals(this.service)) {
				throw new IllegalArgumentException("the leaf is for service '" + identity.service() + "', not '"
						+ this.service + "'");
			}
			return new Indexed<>(answer.index(), new CheckedLeaf(leafCert.serialNumber(), chain, key));
		}
		catch (IllegalArgumentException | InvalidSvidException ex) {
			throw refused("leaf for '" + this.service + "' (serial " + leafCert.serialNumber() + ")", answer.index(),
					ex);
		}
	}

	private RefusedAnswerException refused(String what, long index, Exception cause) {
		String problem = "Refused the agent's " + what + " at index " + index + ": " + cause.getMessage()
				+ "; keeping the previous material";
		return new RefusedAnswerException(problem, cause);
	}

	/** Publishes the latest roots and leaf when they agree: the chain validates against the roots in both roles. */
	private synchronized void update() {
		TrustBundle bundle = this.roots;
		CheckedLeaf currentLeaf = this.leaf;
		if (bundle == null || currentLeaf == null) {
			return;
		}
		try {
			CertificateSnapshot snapshot = check(bundle, currentLeaf);
			this.lastRefresh = this.clock.instant();
			CertificateSnapshot previous = this.current.get();
			if (previous != null && sameMaterial(previous, snapshot)) {
				this.lastProblem = null;
				return;
			}
			if (previous != null && !previous.trustDomain().equals(snapshot.trustDomain())) {
				logger.log(Level.WARNING, () -> "The agent's trust domain changed from '" + previous.trustDomain()
						+ "' to '" + snapshot.trustDomain() + "' (another cluster, or a dev agent restarted without its "
						+ "data): adopting its roots and a leaf for '" + this.service + "'; callers and servers of the "
						+ "old trust domain are refused from now on");
			}
			this.current.set(snapshot);
			this.lastProblem = null;
			this.first.tryEmitValue(snapshot);
			this.listeners.forEach((listener) -> listener.accept(snapshot));
		}
		catch (IllegalArgumentException | InvalidSvidException ex) {
			String problem = "Refused new certificate material for '" + this.service + "' (serial "
					+ currentLeaf.serialNumber() + "): " + ex.getMessage() + "; keeping the previous material";
			if (!problem.equals(this.lastProblem)) {
				logger.log(Level.WARNING, problem);
			}
			this.lastProblem = problem;
		}
	}

	private CertificateSnapshot check(TrustBundle bundle, CheckedLeaf checkedLeaf) throws InvalidSvidException {
		List<X509Certificate> chain = checkedLeaf.chain();
		SpiffeId id = bundle.validator().validate(chain, PeerRole.SERVER);
		bundle.validator().validate(chain, PeerRole.CLIENT);
		if (!id.isMemberOf(bundle.trustDomain())) {
			throw new IllegalArgumentException("the leaf's trust domain '" + id.trustDomain()
					+ "' is not the roots' trust domain '" + bundle.trustDomain() + "'");
		}
		return new CertificateSnapshot(this.generations.incrementAndGet(), ServiceIdentity.from(id), chain,
				checkedLeaf.key().getPrivate(), bundle.trusted(), bundle.trustDomain(), bundle.validator());
	}

	private static boolean sameMaterial(CertificateSnapshot previous, CertificateSnapshot next) {
		return previous.chain().equals(next.chain()) && previous.roots().equals(next.roots());
	}

	@Override
	public void dispose() {
		this.watches.dispose();
	}

	@Override
	public boolean isDisposed() {
		return this.watches.isDisposed();
	}

	/** A roots answer that passed its own checks. */
	private record TrustBundle(List<X509Certificate> trusted, TrustDomain trustDomain, SvidValidator validator) {
	}

	/** A leaf answer that passed its own checks. Its {@link #toString()} never shows the key. */
	private record CheckedLeaf(String serialNumber, List<X509Certificate> chain, KeyPair key) {

		@Override
		public String toString() {
			return "CheckedLeaf[serialNumber=" + this.serialNumber + "]";
		}

	}

}
