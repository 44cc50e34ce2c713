package dev.connect.proxy;

import dev.connect.proxy.metrics.ProxyMetrics;
import dev.connect.tls.CertificateSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * How a proxy starts, beyond its registration: from the command line, or the defaults of
 * {@link SidecarProxy#start(dev.connect.client.AgentClient, String, java.time.Clock, java.time.Duration)}.
 *
 * @param datacenter the datacenter the proxy must be in ({@code -datacenter}), or {@code null} for the agent's
 * @param metrics where the listeners count
 * @param boringSsl whether the listeners use BoringSSL when it loads ({@code -tls-provider boringssl})
 */
record StartOptions(@Nullable String datacenter, ProxyMetrics metrics, boolean boringSsl) {

	static final String DATACENTER = "Datacenter '%s' (-datacenter) is not the agent's datacenter '%s': the proxy "
			+ "presents a leaf of its agent's datacenter and reaches services there only; leave -datacenter out or "
			+ "give '%s'";

	/**
	 * Consul's {@code -datacenter} points the API client at another datacenter; a proxy serves the destination's
	 * leaf, issued in its agent's datacenter, and reaches upstreams there only, so another datacenter is refused.
	 * @param material the first TLS material, whose leaf names the agent's datacenter
	 * @throws IllegalArgumentException when the datacenter asked for is another one
	 */
	void checkDatacenter(CertificateSnapshot material) {
		String local = material.identity().datacenter();
		if (this.datacenter != null && !this.datacenter.equalsIgnoreCase(local)) {
			throw new IllegalArgumentException(String.format(DATACENTER, this.datacenter, local, local));
		}
	}

}
